"""Helpers of the browser tests: a page whose requests to other hosts are blocked, and what it did."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Watch:
    """What a page did that a test should know about: requests blocked, console errors, failed responses."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.blocked, f"the page tried to reach other hosts: {self.blocked}"
        assert not self.errors, f"console errors (CSP violations among them): {self.errors}"
        assert not self.failed, f"requests that failed: {self.failed}"


def open_page(browser: object, server: str, *, width: int = 1280, height: int = 900, javascript: bool = True):
    """A new page in its own context, with every request not to ``server`` aborted and recorded."""
    context = browser.new_context(viewport={"width": width, "height": height},  # type: ignore[attr-defined]
                                  java_script_enabled=javascript, accept_downloads=True)
    watch = Watch()

    def route(r) -> None:  # noqa: ANN001
        if r.request.url.startswith(server + "/") or r.request.url == server:
            r.continue_()
        else:
            watch.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.on("response", lambda r: watch.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return context, page, watch
