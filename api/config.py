"""Settings of the web API, from environment variables (prefix ``EGOVKG_``) or a ``.env`` file."""

from functools import lru_cache
from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of the server; tests override ``get_settings``."""

    model_config = SettingsConfigDict(env_prefix="EGOVKG_", env_file=".env", extra="ignore")

    # server and store
    store: str = Field("oxigraph:var/store", description="memory:, oxigraph:PATH or sparql:QUERY_URL[,UPDATE_URL][,GSP_URL]")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    public_url: str | None = Field(None, description="Where the server is reachable, if not at the base IRI")

    # GraphQL
    graphql_max_depth: int = 12
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 2000
    graphql_max_page_size: int = 100
    graphql_default_page_size: int = 20
    graphql_response_cache_size: int = 512
    graphql_cache_enabled: bool = True
    graphql_list_cache_items: int = 1_000_000
    """How many item IRIs the list connections keep sorted for the current dataset version (about 120 bytes each;
    0: every page reads its whole list from the store)."""
    introspection: bool = True
    graphiql: bool = True

    # SPARQL
    sparql_timeout_s: float = 30.0
    sparql_row_cap: int = 10_000
    sparql_workers: int = 2
    sparql_max_concurrent_per_client: int = 4
    sparql_allow_service: bool = False
    sparql_cache_bytes: Annotated[int, Field(description="Byte budget of the /sparql result cache (answers kept per "
                                             "dataset version, least recently used dropped first); 0 turns it off")
                                  ] = 32 * 1024 * 1024

    # writes (off unless a token is configured)
    write_token: str | None = None
    max_upload_bytes: int = 5_000_000

    # abuse limits
    rate_limit_per_minute: int = 600
    max_body_bytes: int = 1_000_000
    max_header_bytes: int = 16_384


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
