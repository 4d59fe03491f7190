"""Settings of the web API, from environment variables (prefix ``EGOVKG_``) or a ``.env`` file."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of the server; tests override ``get_settings``."""

    model_config = SettingsConfigDict(env_prefix="EGOVKG_", env_file=".env", extra="ignore")

    # server and store
    store: str = Field(
        default="oxigraph:var/store",
        description="Where the knowledge graph lives: `memory:`, `oxigraph:PATH` (embedded, built from the shipped "
                    "data on first start) or `sparql:QUERY_URL[,UPDATE_URL][,GSP_URL]` (a remote SPARQL 1.1 engine; "
                    "docs/backends.md).",
    )
    host: str = Field(
        default="127.0.0.1",
        description="Interface `egovkg serve` listens on.",
    )
    port: int = Field(
        default=8000,
        description="Port `egovkg serve` listens on.",
    )
    workers: int = Field(
        default=1,
        description="Server processes of `egovkg serve` (more than one needs a `sparql:` store; each is stateless).",
    )
    public_url: str | None = Field(
        default=None,
        description="Where the server is reachable, if not at the base IRI (names it in the service description, VoID "
                    "and the dumps' links).",
    )

    # GraphQL
    graphql_max_depth: int = Field(
        default=12,
        description="Deepest nesting a GraphQL query may have.",
    )
    graphql_max_aliases: int = Field(
        default=30,
        description="Most aliases in one GraphQL query.",
    )
    graphql_max_tokens: int = Field(
        default=2000,
        description="Most tokens in one GraphQL document.",
    )
    graphql_max_page_size: int = Field(
        default=100,
        description="Largest `first` of a list connection.",
    )
    graphql_default_page_size: int = Field(
        default=20,
        description="`first` of a list connection when a query gives none.",
    )
    graphql_response_cache_size: int = Field(
        default=512,
        description="Whole GraphQL responses kept per dataset version (least recently used dropped first).",
    )
    graphql_cache_enabled: bool = Field(
        default=True,
        description="Whether GraphQL responses are cached at all.",
    )
    graphql_list_cache_items: int = Field(
        default=1_000_000,
        description="How many item IRIs the list connections keep sorted for the current dataset version (about 120 "
                    "bytes each; 0: every page reads its whole list from the store).",
    )
    graphql_compare_cache_rows: int = Field(
        default=1_000_000,
        description="How many rows (concepts and group studies) of comparisons the service keeps for the current "
                    "dataset version, so that paging through a comparison runs its comparison query once (0: every "
                    "request runs it).",
    )
    introspection: bool = Field(
        default=True,
        description="Whether GraphQL introspection is allowed (GraphiQL needs it).",
    )
    graphiql: bool = Field(
        default=True,
        description="Whether `GET /graphql` from a browser shows the GraphiQL editor.",
    )

    # SPARQL
    sparql_timeout_s: float = Field(
        default=30.0,
        description="Deadline of one /sparql query; its worker process is killed and replaced at the deadline, and "
                    "the client gets a 503 saying so.",
    )
    sparql_row_cap: int = Field(
        default=10_000,
        description="Most rows (or triples) one /sparql answer returns (`X-SPARQL-Truncated` says when it was cut).",
    )
    sparql_workers: int = Field(
        default=2,
        description="Worker processes that run /sparql queries (more start under load and linger 10 s).",
    )
    sparql_max_concurrent_per_client: int = Field(
        default=4,
        description="/sparql queries one client address may run at once (429 beyond).",
    )
    sparql_allow_service: bool = Field(
        default=False,
        description="Whether /sparql accepts federated `SERVICE` clauses (off: 403, and the server makes no outgoing "
                    "requests).",
    )
    sparql_cache_bytes: int = Field(
        default=32 * 1024 * 1024,
        description="Byte budget of the /sparql result cache (answers kept per dataset version, least recently used "
                    "dropped first); 0 turns it off.",
    )

    # writes (off unless a token is configured)
    write_token: str | None = Field(
        default=None,
        description="Bearer token that enables the write API (uploads, GraphQL mutations); unset, writes answer 403.",
    )
    max_upload_bytes: int = Field(
        default=5_000_000,
        description="Largest study file or spreadsheet a write accepts.",
    )

    # abuse limits
    rate_limit_per_minute: int = Field(
        default=600,
        description="Requests to /graphql and /sparql one client (its write token, else its address) may make a "
                    "minute (429 with `Retry-After` beyond).",
    )
    max_body_bytes: int = Field(
        default=1_000_000,
        description="Largest request body, and longest /sparql query, outside uploads (413 beyond).",
    )
    max_header_bytes: int = Field(
        default=16_384,
        description="Largest URL (414 beyond) and header block (431 beyond) of a request.",
    )


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
