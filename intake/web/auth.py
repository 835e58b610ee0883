"""Staff accounts, login sessions, HTTP Basic for scripts, and CSRF tokens.

Passwords are stored as argon2 hashes. A browser logs in once and carries a
signed session cookie (Starlette's SessionMiddleware); scripts may send HTTP
Basic on /api instead. A request that changes something with the cookie must
also carry the session's CSRF token (a form field, or the X-CSRF-Token header
from the page's script), because a browser sends cookies on a forged request
from another site too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request

from intake.web.db import Store

HASHER = PasswordHasher()
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = HASHER.hash("not a password")
# Scripts poll with Basic every second or two; an argon2 verify each time would cost ~50 ms of CPU.
BASIC_CACHE_SECONDS = 60
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


class LoginRequired(Exception):
    """A page was asked for without a session: the handler redirects to the login page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class CsrfFailed(Exception):
    """A form or script request came without this session's CSRF token."""


def valid_name(name: str) -> bool:
    return 0 < len(name) <= 64 and set(name) <= NAME_CHARS


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(store: Store, name: str, password: str) -> bool:
    stored = store.user_hash(name)
    try:
        return HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


class BasicCache:
    """Recently verified (name, password digest) pairs, so polling scripts are not argon2-bound."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def check(self, store: Store, name: str, password: str) -> bool:
        key = (name, hashlib.sha256(password.encode()).hexdigest())
        now = time.monotonic()
        with self._lock:
            if self._seen.get(key, 0) > now:
                # Still confirm the account exists: a removed account stops working at once.
                return store.user_hash(name) is not None
        if not verify_password(store, name, password):
            return False
        with self._lock:
            self._seen[key] = now + BASIC_CACHE_SECONDS
        return True


def secret_key(data: Path) -> str:
    """The session signing key, made once per data folder and readable only by its owner."""
    path = data / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, supplied: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not supplied or not hmac.compare_digest(expected, supplied):
        raise CsrfFailed()


def login(request: Request, name: str) -> None:
    # A fresh session on login: nothing set before it (by anyone) carries over.
    request.session.clear()
    request.session["user"] = name
    request.session["csrf"] = secrets.token_urlsafe(32)


def session_user(request: Request) -> str | None:
    name = request.session.get("user")
    if name and request.app.state.store.user_hash(name) is not None:
        return name
    return None


def page_user(request: Request) -> str:
    """Dependency for pages: the logged-in officer, else a redirect to the login page."""
    name = session_user(request)
    if name is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path)
    return name


def api_user(request: Request) -> str:
    """Dependency for /api: HTTP Basic, or the session (with its CSRF header when changing something)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            name, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            name, password = "", ""
        if name and request.app.state.basic_cache.check(request.app.state.store, name, password):
            return name
        raise unauthorised(request)
    name = session_user(request)
    if name is None:
        raise unauthorised(request)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(request, request.headers.get("x-csrf-token"))
    return name


def unauthorised(request: Request) -> HTTPException:
    # The page's own script asks with X-Requested-With; a Basic challenge would pop up a browser dialog.
    challenge = {} if request.headers.get("x-requested-with") else {"WWW-Authenticate": 'Basic realm="intake"'}
    return HTTPException(401, "需要登录 / login required", headers=challenge)


def safe_next(path: str | None) -> str:
    """Only a path on this site: a login link must not bounce the officer to another host."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/"
