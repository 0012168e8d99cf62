"""Canvas Kit actions: what happens when a button, list item or input is used.

``submit`` posts the canvas's values to our submit URL, ``url`` opens a new tab, ``sheet``
opens a sheet (Messenger only) and must be https, except for localhost/127.0.0.1 in local mode.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from concierge.canvas.wire import WireModel, building, check_url


class SubmitAction(WireModel):
    """Send every interactive value on the canvas to the app's submit URL."""

    type: Literal["submit"] = "submit"


class UrlAction(WireModel):
    """Open a page in a new tab; Intercom sends us nothing."""

    type: Literal["url"] = "url"
    url: str

    @field_validator("url")
    @classmethod
    def _absolute(cls, url: str) -> str:
        return check_url(url, "a url action")


class SheetAction(WireModel):
    """Open a sheet (an iframe page Intercom form-posts to) in the Messenger."""

    type: Literal["sheet"] = "sheet"
    url: str

    @field_validator("url")
    @classmethod
    def _https(cls, url: str) -> str:
        return check_url(url, "a sheet action", https_only=True)


Action = Annotated[SubmitAction | UrlAction | SheetAction, Field(discriminator="type")]


def submit_action() -> SubmitAction:
    """The submit action."""
    return SubmitAction()


def url_action(url: str) -> UrlAction:
    """An action opening ``url`` in a new tab."""
    with building("url action"):
        return UrlAction(url=url)


def sheet_action(url: str) -> SheetAction:
    """An action opening the sheet at ``url``."""
    with building("sheet action"):
        return SheetAction(url=url)
