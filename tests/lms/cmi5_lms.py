"""A small cmi5 LMS and LRS for the tests: it serves the unpacked packages, makes launch URLs, answers the
token fetch, keeps the State API and agent profiles, records every statement, and checks them all against
the rules of the cmi5 specification an AU must meet (each problem names its section).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from ..browser_fixtures import WAIT_MS

VERBS = "http://adlnet.gov/expapi/verbs/"
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$")
ACTOR = {"objectType": "Agent", "name": "Test Learner", "account": {"homePage": "https://lms.test", "name": "l-1"}}


@dataclass
class Launch:
    """One AU session the LMS started."""

    activity_id: str
    publisher_id: str
    registration: str
    session: str
    token: str
    launch_mode: str
    mastery: float | None
    fetches: int = 0
    statements: list[dict] = field(default_factory=list)
    #: Every xAPI request the session's token came with: method, path, and whether it named the xAPI version.
    requests: list[tuple[str, str, bool]] = field(default_factory=list)
    #: Set when the session's "terminated" statement arrives.
    ended: threading.Event = field(default_factory=threading.Event)


class Cmi5Lms:
    """The LMS's records, shared by the request handler's threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.launches: dict[str, Launch] = {}
        self.state: dict[tuple[str, str, str], bytes] = {}
        self.held_verb: str | None = None
        self.answer_only = False
        self.held, self.released, self.stored_held = threading.Event(), threading.Event(), threading.Event()

    def launch_url(self, base: str, page: str, activity_id: str, publisher_id: str, registration: str,
                   launch_mode: str = "Normal", mastery: float | None = None) -> tuple[str, Launch]:
        """Start a session as an LMS does before launching: LMS.LaunchData in the State API, a one-time fetch URL."""
        session = str(uuid.uuid4())
        launch = Launch(activity_id, publisher_id, registration, session, uuid.uuid4().hex, launch_mode, mastery)
        data = {"contextTemplate": {"contextActivities": {"grouping": [{"id": publisher_id}]},
                                    "extensions": {SESSION: session}},
                "launchMode": launch_mode, "moveOn": "CompletedAndPassed", "returnURL": f"{base}returned.html"}
        if mastery is not None:
            data["masteryScore"] = mastery
        with self.lock:
            self.launches[session] = launch
            self.state[(activity_id, registration, "LMS.LaunchData")] = json.dumps(data).encode()
        query = urlencode({"endpoint": f"{base}xapi/", "fetch": f"{base}fetch/{session}",
                           "actor": json.dumps(ACTOR), "registration": registration, "activityId": activity_id})
        return f"{base}{page}?{query}", launch

    def hold(self, verb: str, answer_only: bool = False) -> None:
        """Holds back the next statement request carrying ``verb`` until :meth:`release`, as a slow network would:
        the request is stored only then, or (``answer_only``) stored at once and only the answer held back.
        ``held`` is set once it has arrived."""
        self.held_verb, self.answer_only = VERBS + verb, answer_only
        self.held, self.released, self.stored_held = threading.Event(), threading.Event(), threading.Event()

    def release(self) -> bool:
        """Lets the held request go on; true once it is stored."""
        self.released.set()
        return self.stored_held.wait(WAIT_MS / 1000)

    def is_held(self, batch: list[dict]) -> bool:
        """Whether ``batch`` is the request to hold (once); sets ``held`` when it is."""
        with self.lock:
            asked = self.held_verb is not None and any(s["verb"]["id"] == self.held_verb for s in batch)
            if asked:
                self.held_verb = None
        if asked:
            self.held.set()
        return asked

    def wait_for_release(self) -> None:
        self.released.wait(WAIT_MS / 1000)


def problems(launch: Launch, earlier: list[dict] = ()) -> list[str]:
    """Every way the session's statements break the cmi5 rules for an AU; ``earlier`` are the registration's
    statements from its earlier sessions."""
    statements = launch.statements  # as the LRS stored them, which is the order they arrived in
    verbs = [s["verb"]["id"].removeprefix(VERBS) for s in statements]
    before = [s["verb"]["id"].removeprefix(VERBS) for s in earlier]
    paths = {(method, path) for method, path, _ in launch.requests}
    session_rules = [
        ("8.2: the fetch URL was not called exactly once", launch.fetches == 1),
        ("xAPI 7.2: a request without X-Experience-API-Version", all(ok for _, _, ok in launch.requests)),
        ("11.0: the learner preferences were not read", ("GET", "/xapi/agents/profile") in paths),
        ("9.7: statements stored out of their timestamps' order",
         [s["timestamp"] for s in statements] == sorted(s["timestamp"] for s in statements)),
        ("9.3: the first statement is not 'initialized'", verbs[:1] == ["initialized"]),
        ("9.3: the last statement is not 'terminated'", verbs[-1:] == ["terminated"]),
        ("9.3: a verb is duplicated in the session", len(set(verbs)) == len(verbs)),
        ("9.3: both 'passed' and 'failed' in one session", not {"passed", "failed"} <= set(verbs)),
        ("9.3: a second 'passed' in the registration", not ("passed" in verbs and "passed" in before)),
        ("9.3: a second 'completed' in the registration", not ("completed" in verbs and "completed" in before)),
        ("9.3: 'failed' after 'passed' in the registration", not ("failed" in verbs and "passed" in before)),
        ("10.2.2: outside Normal mode only 'initialized' and 'terminated'",
         launch.launch_mode == "Normal" or set(verbs) <= {"initialized", "terminated"}),
    ]
    found = [f"{rule} ({verbs})" for rule, kept in session_rules if not kept]
    for statement, verb in zip(statements, verbs, strict=True):
        found += [f"{verb}: {rule}" for rule, kept in _statement_rules(launch, statement, verb) if not kept]
    return found


def _statement_rules(launch: Launch, statement: dict, verb: str) -> list[tuple[str, bool]]:
    """Each rule one statement must keep, and whether it does."""
    result, context = statement.get("result", {}), statement.get("context", {})
    score = result.get("score", {})
    activities = context.get("contextActivities", {})
    category = activities.get("category", [])
    extensions = context.get("extensions", {})
    judged = verb in ("passed", "failed")
    return [
        ("9.1: the id is a UUID", bool(UUID.match(statement.get("id", "")))),
        ("9.2: the actor is the one the LMS launched with", statement.get("actor") == ACTOR),
        ("9.4: the object is the launch's activityId", statement.get("object", {}).get("id") == launch.activity_id),
        ("9.5.1: a score only in 'passed' and 'failed'", judged or "score" not in result),
        ("9.5.1: the scaled score agrees with the mastery score", "scaled" not in score or launch.mastery is None
         or (score["scaled"] >= launch.mastery) == (verb == "passed")),
        ("9.5.1: raw within min and max", "raw" not in score or score["min"] <= score["raw"] <= score["max"]),
        ("9.5.2: success true in passed, false in failed, absent elsewhere",
         result.get("success") == {"passed": True, "failed": False}.get(verb)),
        ("9.5.3: completion true in completed, absent elsewhere",
         result.get("completion") == (True if verb == "completed" else None)),
        ("9.5.4: an ISO 8601 duration", verb not in ("terminated", "completed", "passed", "failed")
         or bool(DURATION.match(result.get("duration", "")))),
        ("9.6.1: the launch's registration", context.get("registration") == launch.registration),
        ("9.6.2: the context template's grouping (publisher id)", {"id": launch.publisher_id}
         in activities.get("grouping", [])),
        ("9.6.2.1: the cmi5 category", {"id": CMI5} in category),
        ("9.6.2.2: the moveOn category exactly with success or completion",
         ({"id": MOVE_ON} in category) == ("success" in result or "completion" in result)),
        ("9.6.3.1: the session id", extensions.get(SESSION) == launch.session),
        ("9.6.3.2: the mastery score in a judged statement", not judged or launch.mastery is None
         or extensions.get(MASTERY) == launch.mastery),
        ("9.7: a UTC timestamp", str(statement.get("timestamp", "")).endswith("Z")),
    ]


def handler(lms: Cmi5Lms) -> type[SimpleHTTPRequestHandler]:
    """A request handler serving files (packages, pages) and ``lms``'s endpoints."""
    return type("Handler", (Cmi5Handler,), {"lms": lms})


class Cmi5Handler(SimpleHTTPRequestHandler):
    lms: Cmi5Lms

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _json(self, status: int, value: object = None) -> None:
        body = b"" if value is None else json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except ConnectionError:
            pass  # the page closed before the answer came, as a page the learner closes does

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _launch(self) -> Launch | None:
        """The session whose token the request carries, noting the request against it."""
        token = (self.headers.get("Authorization") or "").removeprefix("Basic ")
        with self.lms.lock:
            found = next((launch for launch in self.lms.launches.values() if launch.token == token), None)
            if found is not None:
                found.requests.append((self.command, self.path.split("?")[0],
                                       self.headers.get("X-Experience-API-Version", "").startswith("1.0")))
        return found

    def _state_key(self) -> tuple[str, str, str]:
        query = parse_qs(urlsplit(self.path).query)
        return query["activityId"][0], query["registration"][0], query["stateId"][0]

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/fetch/"):
            with self.lms.lock:
                launch = self.lms.launches[path.removeprefix("/fetch/")]
                launch.fetches += 1
                first = launch.fetches == 1
            self._json(200, {"auth-token": launch.token} if first else
                       {"error-code": "1", "error-text": "The authorization token has already been returned."})
            return
        launch = self._launch()
        if path != "/xapi/statements" or launch is None:
            self._json(401 if launch is None else 404)
            return
        body = json.loads(self._body())
        batch = body if isinstance(body, list) else [body]
        held = self.lms.is_held(batch)
        if held and not self.lms.answer_only:
            self.lms.wait_for_release()
        with self.lms.lock:
            stored = {s.get("id"): s for s in launch.statements}
            if any(s.get("id") in stored and stored[s.get("id")] != s for s in batch):
                self._json(409)  # xAPI 1.0.3, part 3, 2.2: an id the LRS has, with other content
                return
            new = [s for s in batch if s.get("id") not in stored]  # an id it has already changes nothing
            if new and launch.ended.is_set():
                launch.statements.append({"verb": {"id": VERBS + "(sent after terminated)"}, "timestamp": "~"})
            launch.statements += new
        if held:
            self.lms.stored_held.set()
        if any(s["verb"]["id"] == VERBS + "terminated" for s in launch.statements):
            launch.ended.set()
        if held and self.lms.answer_only:
            self.lms.wait_for_release()
        self._json(200, [s.get("id") for s in batch])

    def do_PUT(self) -> None:
        if self._launch() is None:
            self._json(401)
            return
        body = self._body()
        key = self._state_key()
        if key[2] == "LMS.LaunchData":
            self._json(403)  # 10.0: the AU must not change the launch data
            return
        with self.lms.lock:
            self.lms.state[key] = body
        self._json(204)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if not path.startswith("/xapi/"):
            super().do_GET()
            return
        if self._launch() is None:
            self._json(401)
            return
        if path == "/xapi/agents/profile":
            self._json(200, {"languagePreference": "en-GB,fr-FR", "audioPreference": "off"})
            return
        with self.lms.lock:
            stored = self.lms.state.get(self._state_key())
        if stored is None:
            self._json(404)
        else:
            self._json(200, json.loads(stored))
