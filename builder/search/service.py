"""Talk to the Pagefind binary through its Python API, quickly and with failures reported.

`PagefindIndex` (the package's API: `add_custom_record`, `get_files`) runs on a service object that
talks to `pagefind --service` over pipes. The package's `PagefindService` (1.5.2) has three flaws
that `FastService` mends, keeping its protocol and `create_index`:

- It reads the binary's answers in a loop that sleeps 100 ms before each one, so every record costs
  a tenth of a second: a 10,000-article site (over 100,000 records) would take hours. Ours reads
  answers as they come.
- When the binary exits or prints something that is not an answer, that loop dies silently and
  every request still waiting hangs for ever. Ours fails them, with what the binary printed.
- Its read limit (2 MiB) is too small for `get_files`, which answers with the whole bundle. We
  take the files in memory rather than let the binary write them: the binary answers
  `write_files` before its last writes reach the disk (Tokio hands them to background threads and
  nothing flushes them), and stopping it then leaves files truncated or empty now and then.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
from typing import Any, cast

from pagefind.service import PagefindService
from pagefind.service.types import InternalRequestPayload, InternalResponsePayload

log = logging.getLogger(__name__)

EXIT_TIMEOUT = 60
"""Seconds the binary gets to exit once its input is closed."""
READ_LIMIT = 2**30
"""Largest answer read: `get_files` answers with the whole bundle in one message (tens of MB at
10,000 articles), where the package allows 2 MiB."""


class PagefindFailure(Exception):
    """The Pagefind binary refused a request, or stopped answering."""


class FastService(PagefindService):
    """A Pagefind service whose answers are read without a pause and whose failures are raised."""

    _failure: str | None = None
    """Why the binary stopped answering, once it has: later requests fail at once instead of hanging."""

    async def launch(self) -> FastService:
        """Start the binary as the package does, with a read limit that fits the whole bundle."""
        self._backend = await asyncio.create_subprocess_exec(
            self._bin,
            "--service",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            limit=READ_LIMIT,
        )
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    @property
    def pid(self) -> int:
        return self._backend.pid

    async def send(self, payload: InternalRequestPayload) -> InternalResponsePayload:
        if self._failure is not None:
            raise PagefindFailure(self._failure)
        try:
            return await super().send(payload)
        except (BrokenPipeError, ConnectionResetError) as error:
            # The binary is gone. What it said last is on its stdout: let the reader get to it.
            waiting = self._responses.pop(self._message_id, None)
            if waiting is not None:
                waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._poll_task), timeout=5)
            raise PagefindFailure(self._failure or f"the Pagefind binary stopped: {error}") from error

    async def close(self) -> None:
        """Close the binary's input so that it exits; stop it if it will not.

        The package's own close() re-raises the failure of any request still waiting before it
        stops the binary, which then outlives the event loop.
        """
        for future in self._responses.values():
            future.cancel()
        self._responses.clear()
        self._poll_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._poll_task
        if self._backend.stdin is not None:
            self._backend.stdin.close()
        try:
            await asyncio.wait_for(self._backend.wait(), timeout=EXIT_TIMEOUT)
        except TimeoutError:
            log.warning("Pagefind did not exit %d s after its input closed: stopping it", EXIT_TIMEOUT)
            with contextlib.suppress(ProcessLookupError):
                self._backend.terminate()
            await self._backend.wait()

    async def _wait_for_responses(self) -> None:
        stdout = self._backend.stdout
        assert stdout is not None
        try:
            while True:
                raw = await stdout.readuntil(b",")
                self._deliver(_parse(raw[:-1]))
        except asyncio.IncompleteReadError as error:
            said = error.partial.decode("utf-8", "replace").strip()
            self._fail_all(f"the Pagefind binary exited{': ' + said[-500:] if said else ''}")
        except (ValueError, binascii.Error) as error:
            self._fail_all(f"the Pagefind binary sent an answer that is not Pagefind's: {error}")
        except asyncio.LimitOverrunError:
            self._fail_all(f"the Pagefind binary sent an answer larger than {READ_LIMIT:,} bytes")

    def _deliver(self, response: dict[str, Any]) -> None:
        payload = response.get("payload") or {}
        message_id = response.get("message_id")
        if message_id is None and payload.get("original_message"):
            # An unparsable request comes back without its id, but with the request itself.
            message_id = json.loads(payload["original_message"]).get("message_id")
        future = self._responses.pop(message_id, None) if isinstance(message_id, int) else None
        if future is None or future.done():
            log.debug("Pagefind answered a request nobody waits for: %s", payload)
            return
        if payload.get("type") == "Error":
            future.set_exception(PagefindFailure(payload.get("message") or "unknown error"))
        else:
            future.set_result(cast(InternalResponsePayload, payload))

    def _fail_all(self, message: str) -> None:
        self._failure = message
        for future in self._responses.values():
            if not future.done():
                future.set_exception(PagefindFailure(message))
        self._responses.clear()


def _parse(encoded: bytes) -> dict[str, Any]:
    decoded = json.loads(base64.b64decode(encoded, validate=True))
    if not isinstance(decoded, dict):
        raise ValueError("expected a JSON object")
    return decoded
