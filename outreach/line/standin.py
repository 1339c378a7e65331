"""A stand-in for LINE's Messaging API on 127.0.0.1, for tests, benchmarks and staging
(point LINE_API_BASE at it). It answers the calls the bot makes, refuses a request whose
Authorization is not the channel's token, and checks every body against the SDK's own
models plus the documented limits those models leave out (label lengths, alt text,
postback data, URIs …). A body that fails is answered 400, as LINE would, and kept in
`problems`; every request is kept in `received` so a test can read what the bot sent.

    .venv/bin/volunteerkm line standin --port 8090 --token TOKEN   # prints what arrives
"""
import io
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from linebot.v3.messaging import MulticastRequest, ReplyMessageRequest, RichMenuRequest
from PIL import Image

MAX_IMAGE_BYTES = 1024 * 1024
QUICK_LABEL, FLEX_LABEL, DATA, DISPLAY_TEXT, ALT_TEXT, TEXT, URI = 20, 40, 300, 300, 1500, 5000, 1000
CAROUSEL_BUBBLES, FLEX_BYTES = 12, 50_000
URI_SCHEMES = ("http://", "https://", "line://", "tel:")


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes
    at: float  # time.perf_counter() when it arrived
    model: object = None
    status: int = 200

    def json(self):
        return json.loads(self.body)


@dataclass
class StandIn:
    token: str
    host: str = "127.0.0.1"
    port: int = 0
    received: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    rich_menus: dict = field(default_factory=dict)  # id → {"request": dict, "image": bytes | None}
    default_rich_menu: str = ""
    fail_next: list = field(default_factory=list)  # statuses to answer the next calls with (an outage)
    verbose: bool = False

    def __post_init__(self):
        self._lock = threading.Lock()
        self._retry_keys = set()
        self._server = None

    # --- running ----------------------------------------------------------------------------
    @property
    def url(self):
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                standin._serve(self)

            def do_POST(self):
                standin._serve(self)

            def do_DELETE(self):
                standin._serve(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True, name="line-standin").start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- what the bot sent ------------------------------------------------------------------
    def calls(self, path_prefix):
        with self._lock:
            return [r for r in self.received if r.path.startswith(path_prefix) and r.status < 300]

    def replies(self):
        """ReplyMessageRequest models LINE accepted, oldest first."""
        return [r.model for r in self.calls("/v2/bot/message/reply")]

    def reply_to(self, token):
        found = [m for m in self.replies() if m.reply_token == token]
        return found[-1] if found else None

    def multicasts(self):
        return [r.model for r in self.calls("/v2/bot/message/multicast")]

    def wait_for(self, predicate, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()

    # --- serving ----------------------------------------------------------------------------
    def _serve(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        record = Received(handler.command, handler.path, dict(handler.headers.items()), body, time.perf_counter())
        status, answer, extra = self._answer(record)
        record.status = status
        with self._lock:
            self.received.append(record)
        if self.verbose:
            print(f"{record.method} {record.path} → {status}\n{body.decode('utf-8', 'replace')[:4000]}\n", flush=True)
        data = json.dumps(answer, ensure_ascii=False).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("x-line-request-id", uuid.uuid4().hex)
        for k, v in extra.items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(data)

    def _refuse(self, record, status, message):
        with self._lock:
            self.problems.append(f"{record.method} {record.path}: {message}")
        return status, {"message": message}, {}

    def _answer(self, record):
        if record.headers.get("Authorization") != f"Bearer {self.token}":
            return self._refuse(record, 401, "Authentication failed. Confirm that the access token is valid.")
        with self._lock:
            outage = self.fail_next.pop(0) if self.fail_next else None
        if outage:
            return outage, {"message": "stand-in: simulated failure"}, {}
        route = (record.method, record.path)
        try:
            if route == ("POST", "/v2/bot/message/reply"):
                return self._reply(record)
            if route == ("POST", "/v2/bot/message/multicast"):
                return self._multicast(record)
            if route in (("POST", "/v2/bot/richmenu"), ("POST", "/v2/bot/richmenu/validate")):
                return self._rich_menu(record, create=record.path.endswith("/richmenu"))
            if route == ("GET", "/v2/bot/richmenu/list"):
                return 200, {"richmenus": [{"richMenuId": k, **v["request"]} for k, v in self.rich_menus.items()]}, {}
            if m := re.fullmatch(r"/v2/bot/richmenu/([\w-]+)/content", record.path):
                return self._rich_menu_image(record, m.group(1))
            if m := re.fullmatch(r"/v2/bot/user/all/richmenu/([\w-]+)", record.path):
                return self._default_rich_menu(record, m.group(1))
            if (m := re.fullmatch(r"/v2/bot/richmenu/([\w-]+)", record.path)) and record.method == "DELETE":
                if self.rich_menus.pop(m.group(1), None) is None:
                    return self._refuse(record, 404, "Not found")
                return 200, {}, {}
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            return self._refuse(record, 400, f"The request body has 1 error(s): {exc}")
        return self._refuse(record, 404, f"stand-in does not serve {record.method} {record.path}")

    def _parse(self, record, model_class):
        """The body as the SDK's model, and nothing in the body that the model dropped."""
        if not record.headers.get("Content-Type", "").startswith("application/json"):
            raise ValueError("Content-Type must be application/json")
        sent = record.json()
        model = model_class.from_json(record.body.decode())
        if model is None:
            raise ValueError("empty body")
        lost = _missing(sent, json.loads(model.to_json()))
        if lost:
            raise ValueError(f"unknown or misplaced fields: {', '.join(lost[:5])}")
        record.model = model
        return sent

    def _reply(self, record):
        sent = self._parse(record, ReplyMessageRequest)
        _check_messages(sent["messages"])
        return 200, {"sentMessages": [{"id": str(uuid.uuid4().int)[:18], "quoteToken": uuid.uuid4().hex}
                                      for _ in sent["messages"]]}, {}

    def _multicast(self, record):
        sent = self._parse(record, MulticastRequest)
        _check_messages(sent["messages"])
        key = record.headers.get("X-Line-Retry-Key")
        if key:
            uuid.UUID(key)
            with self._lock:
                if key in self._retry_keys:
                    return 409, {"message": "The retry key is already accepted"}, {
                        "x-line-accepted-request-id": "accepted"}
                self._retry_keys.add(key)
        return 200, {}, {}

    def _rich_menu(self, record, create):
        sent = self._parse(record, RichMenuRequest)
        size = sent["size"]
        if (size["width"], size["height"]) not in ((2500, 1686), (2500, 843), (1200, 810), (1200, 405), (800, 540),
                                                   (800, 270)):
            raise ValueError(f"size {size} is not a rich menu size")
        if not sent.get("areas") or len(sent["areas"]) > 20:
            raise ValueError("a rich menu has 1 to 20 areas")
        for area in sent["areas"]:
            b = area["bounds"]
            if b["x"] + b["width"] > size["width"] or b["y"] + b["height"] > size["height"]:
                raise ValueError(f"area {b} is outside the menu")
            _check_action(area["action"], FLEX_LABEL)
        if not create:
            return 200, {}, {}
        menu_id = f"richmenu-{uuid.uuid4().hex}"
        self.rich_menus[menu_id] = {"request": sent, "image": None}
        return 200, {"richMenuId": menu_id}, {}

    def _rich_menu_image(self, record, menu_id):
        menu = self.rich_menus.get(menu_id)
        if menu is None:
            return self._refuse(record, 404, "Not found")
        if record.headers.get("Content-Type") not in ("image/png", "image/jpeg"):
            raise ValueError("the image must be image/png or image/jpeg")
        if len(record.body) > MAX_IMAGE_BYTES:
            raise ValueError("the image is larger than 1 MB")
        image = Image.open(io.BytesIO(record.body))
        size = menu["request"]["size"]
        if image.size != (size["width"], size["height"]):
            raise ValueError(f"the image is {image.size}, the menu {size}")
        if menu["image"] is not None:
            return self._refuse(record, 400, "An image has already been uploaded to the richmenu")
        menu["image"] = record.body
        return 200, {}, {}

    def _default_rich_menu(self, record, menu_id):
        menu = self.rich_menus.get(menu_id)
        if menu is None or menu["image"] is None:
            return self._refuse(record, 400, "must upload richmenu image before applying it to user")
        self.default_rich_menu = menu_id
        return 200, {}, {}


def _missing(sent, kept, path="") -> list:
    """Paths of `sent` that are not in `kept` (what the model parsed and wrote back)."""
    if isinstance(sent, dict):
        if not isinstance(kept, dict):
            return [path or "/"]
        out = []
        for k, v in sent.items():
            out += _missing(v, kept[k], f"{path}/{k}") if k in kept else [f"{path}/{k}"]
        return out
    if isinstance(sent, list):
        if not isinstance(kept, list) or len(kept) != len(sent):
            return [path]
        return [p for i, v in enumerate(sent) for p in _missing(v, kept[i], f"{path}/{i}")]
    return [] if sent == kept else [path]


def _check_action(action, label_limit):
    label = action.get("label")
    if label is not None and not 0 < len(label) <= label_limit:
        raise ValueError(f"action label {label!r} must be 1–{label_limit} characters")
    if action["type"] == "postback":
        if not 0 < len(action["data"]) <= DATA:
            raise ValueError(f"postback data must be 1–{DATA} characters")
        if len(action.get("displayText", "")) > DISPLAY_TEXT:
            raise ValueError("displayText is too long")
    elif action["type"] == "message":
        if not 0 < len(action["text"]) <= DISPLAY_TEXT:
            raise ValueError("message action text must be 1–300 characters")
    elif action["type"] == "uri" and not (len(action["uri"]) <= URI and action["uri"].startswith(URI_SCHEMES)
                                          and action["uri"].isascii()):
        raise ValueError(f"a uri must be percent-encoded, http(s)/line/tel and at most {URI} characters")


def _check_flex(node):
    if isinstance(node, dict):
        if node.get("type") == "carousel" and len(node["contents"]) > CAROUSEL_BUBBLES:
            raise ValueError("a carousel has at most 12 bubbles")
        if node.get("type") == "text" and not node.get("text"):
            raise ValueError("a text component needs text")
        if isinstance(node.get("action"), dict):
            _check_action(node["action"], FLEX_LABEL)
        for value in node.values():
            _check_flex(value)
    elif isinstance(node, list):
        for value in node:
            _check_flex(value)


def _check_messages(messages):
    for message in messages:
        if message["type"] == "text" and not 0 < len(message["text"]) <= TEXT:
            raise ValueError(f"text must be 1–{TEXT} characters")
        if message["type"] == "flex":
            if not 0 < len(message["altText"]) <= ALT_TEXT:
                raise ValueError(f"altText must be 1–{ALT_TEXT} characters")
            if len(json.dumps(message["contents"], ensure_ascii=False).encode()) > FLEX_BYTES:
                raise ValueError("the flex message is too large")
            _check_flex(message["contents"])
        for item in (message.get("quickReply") or {}).get("items", []):
            _check_action(item["action"], QUICK_LABEL)
