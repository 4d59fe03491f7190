"""FastAPI dependencies as ``Annotated`` aliases."""

from typing import Annotated

from fastapi import Depends, Request

from api.config import Settings, get_settings
from kg.store import Store


def get_store(request: Request) -> Store:
    """The store the app opened at start-up."""
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
