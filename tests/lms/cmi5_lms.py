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

    def statements(self, registration: str) -> list[dict]:
        """Every statement of the registration, in timestamp order (cmi5 orders by timestamp, 9.3)."""
        with self.lock:
            found = [s for launch in self.launches.values() if launch.registration == registration
                     for s in launch.statements]
        return sorted(found, key=lambda s: s["timestamp"])


def problems(launch: Launch, earlier: list[dict] = ()) -> list[str]:
    """Every way the session's statements break the cmi5 rules for an AU; ``earlier`` are the registration's
    statements from its earlier sessions."""
    found = []
    statements = sorted(launch.statements, key=lambda s: s["timestamp"])
    verbs = [s["verb"]["id"].removeprefix(VERBS) for s in statements]
    if launch.fetches != 1:
        found.append(f"8.2: the fetch URL was called {launch.fetches} times, not once")
    found += [f"xAPI 7.2: {method} {path} without X-Experience-API-Version" for method, path, ok in launch.requests
              if not ok]
    if ("GET", "/xapi/agents/profile") not in {(method, path) for method, path, _ in launch.requests}:
        found.append("11.0: the learner preferences were not read")
    if not verbs or verbs[0] != "initialized":
        found.append(f"9.3: the first statement is not 'initialized': {verbs}")
    if not verbs or verbs[-1] != "terminated":
        found.append(f"9.3: the last statement is not 'terminated': {verbs}")
    if len(set(verbs)) != len(verbs):
        found.append(f"9.3: a verb is duplicated in the session: {verbs}")
    if "passed" in verbs and "failed" in verbs:
        found.append("9.3: both 'passed' and 'failed' in one session")
    before = [s["verb"]["id"].removeprefix(VERBS) for s in earlier]
    for verb in ("passed", "completed"):
        if verb in verbs and verb in before:
            found.append(f"9.3: a second '{verb}' in the registration")
    if "failed" in verbs and "passed" in before:
        found.append("9.3: 'failed' after 'passed' in the registration")
    if launch.launch_mode != "Normal" and set(verbs) - {"initialized", "terminated"}:
        found.append(f"10.2.2: {launch.launch_mode} mode allows only 'initialized' and 'terminated': {verbs}")
    for statement, verb in zip(statements, verbs, strict=True):
        found += [f"{verb}: {problem}" for problem in _statement_problems(launch, statement, verb)]
    return found


def _statement_problems(launch: Launch, statement: dict, verb: str) -> list[str]:
    found = []
    result, context = statement.get("result", {}), statement.get("context", {})
    if not UUID.match(statement.get("id", "")):
        found.append("9.1: the id is not a UUID")
    if statement.get("actor") != ACTOR:
        found.append("9.2: the actor is not the one the LMS launched with")
    if statement.get("object", {}).get("id") != launch.activity_id:
        found.append("9.4: the object is not the launch's activityId")
    if ("score" in result) != (verb in ("passed", "failed")) and "score" in result:
        found.append("9.5.1: a score outside 'passed' and 'failed'")
    score = result.get("score", {}).get("scaled")
    if score is not None and launch.mastery is not None and (score >= launch.mastery) != (verb == "passed"):
        found.append(f"9.5.1: scaled score {score} does not agree with mastery {launch.mastery}")
    if "raw" in result.get("score", {}) and not result["score"]["min"] <= result["score"]["raw"] <= result["score"]["max"]:
        found.append("9.5.1: raw score outside min and max")
    expected_success = {"passed": True, "failed": False}.get(verb)
    if result.get("success") != expected_success:
        found.append(f"9.5.2: success is {result.get('success')!r}, not {expected_success!r}")
    if result.get("completion") != (True if verb == "completed" else None):
        found.append(f"9.5.3: completion is {result.get('completion')!r}")
    if verb in ("terminated", "completed", "passed", "failed") and not DURATION.match(result.get("duration", "")):
        found.append(f"9.5.4: duration {result.get('duration')!r} missing or not ISO 8601")
    if context.get("registration") != launch.registration:
        found.append("9.6.1: the registration is not the launch's")
    activities = context.get("contextActivities", {})
    if {"id": launch.publisher_id} not in activities.get("grouping", []):
        found.append("9.6.2: the context template's grouping (the publisher id) is missing")
    category = activities.get("category", [])
    if {"id": CMI5} not in category:
        found.append("9.6.2.1: the cmi5 category is missing")
    if ({"id": MOVE_ON} in category) != ("success" in result or "completion" in result):
        found.append("9.6.2.2: the moveOn category does not go with success or completion")
    if context.get("extensions", {}).get(SESSION) != launch.session:
        found.append("9.6.3.1: the session id is missing")
    if verb in ("passed", "failed") and launch.mastery is not None and context["extensions"].get(MASTERY) != launch.mastery:
        found.append("9.6.3.2: the mastery score is missing from a judged statement")
    if not str(statement.get("timestamp", "")).endswith("Z"):
        found.append("9.7: the timestamp is not in UTC")
    return found


def handler(lms: Cmi5Lms) -> type[SimpleHTTPRequestHandler]:
    """A request handler serving files (packages, pages) and the LMS's endpoints."""

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _json(self, status: int, value: object = None) -> None:
            body = b"" if value is None else json.dumps(value).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _launch(self) -> Launch | None:
            """The session whose token the request carries, noting the request against it."""
            token = (self.headers.get("Authorization") or "").removeprefix("Basic ")
            with lms.lock:
                found = next((launch for launch in lms.launches.values() if launch.token == token), None)
                if found is not None:
                    found.requests.append((self.command, self.path.split("?")[0],
                                           self.headers.get("X-Experience-API-Version", "").startswith("1.0")))
            return found

        def _state_key(self) -> tuple[str, str, str]:
            query = parse_qs(urlsplit(self.path).query)
            return query["activityId"][0], query["registration"][0], query["stateId"][0]

        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            path = urlsplit(self.path).path
            if path.startswith("/fetch/"):
                with lms.lock:
                    launch = lms.launches[path.removeprefix("/fetch/")]
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
            with lms.lock:
                if launch.ended.is_set():
                    launch.statements.append({"verb": {"id": VERBS + "(sent after terminated)"}, "timestamp": "~"})
                launch.statements += body if isinstance(body, list) else [body]
            if any(s["verb"]["id"] == VERBS + "terminated" for s in launch.statements):
                launch.ended.set()
            self._json(200, [s.get("id") for s in (body if isinstance(body, list) else [body])])

        def do_PUT(self) -> None:  # noqa: N802
            if self._launch() is None:
                self._json(401)
                return
            body = self._body()
            key = self._state_key()
            if key[2] == "LMS.LaunchData":
                self._json(403)  # 10.0: the AU must not change the launch data
                return
            with lms.lock:
                lms.state[key] = body
            self._json(204)

        def do_GET(self) -> None:  # noqa: N802
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
            with lms.lock:
                stored = lms.state.get(self._state_key())
            if stored is None:
                self._json(404)
            else:
                self._json(200, json.loads(stored))

    return Handler
