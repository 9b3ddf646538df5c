"""The test bed's contract check: a proxy between the tests and moto that checks every AWS request
against the official model of its service (botocore's data, installed with moto) before moto sees
it, because moto accepts much that AWS refuses.

For each request it finds the service (the SigV4 credential scope), the operation and its input
(by the service's protocol: JSON, query or REST-JSON) and checks, as AWS does: required members,
unknown members (a casing mistake is an unknown member), enum values, length and range limits,
and patterns matched whole. A violation is answered with HTTP 400 `ValidationException` naming the
operation, the member, the constraint and the value (so the SDK call fails with it), and written
to the violations file, which scripts/test reads after the suite: a test that swallows the error
still fails the run. Every operation seen is written to the operations file (docs/testing.md).

Usage: model_check.py LISTEN_PORT_FILE UPSTREAM VIOLATIONS_FILE OPERATIONS_FILE
       model_check.py --self-test   (tests/model_check.rs: the check refuses what AWS refuses)
       model_check.py --shape SERVICE SHAPE   (prints one input shape's members as JSON)
"""

import http.client
import http.server
import json
import sys
import threading
import urllib.parse

import botocore.loaders
import botocore.model
import regex as re  # AWS patterns are Java regular expressions (\p{L}…), which `re` does not read

# SigV4 signing name -> botocore service name, where they differ.
SIGNING_TO_SERVICE = {"monitoring": "cloudwatch", "ce": "ce", "servicecatalog": "servicecatalog"}

_models = {}
_models_lock = threading.Lock()
_loader = botocore.loaders.Loader()


def service_model(signing_name):
    name = SIGNING_TO_SERVICE.get(signing_name, signing_name)
    with _models_lock:
        if name not in _models:
            try:
                _models[name] = botocore.model.ServiceModel(_loader.load_service_model(name, "service-2"), name)
            except Exception:  # not a service botocore knows: nothing to check against
                _models[name] = None
        return _models[name]


class Violation(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Finding the operation and its input, per protocol.


def signing_name(headers):
    auth = headers.get("Authorization", "")
    match = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request", auth)
    return match.group(1) if match else None


def json_operation(model, headers, body):
    target = headers.get("X-Amz-Target", "")
    name = target.rsplit(".", 1)[-1]
    op = model.operation_model(name)
    return op, (json.loads(body) if body.strip() else {})


def query_operation(model, body):
    form = urllib.parse.parse_qs(body.decode(), keep_blank_values=True)
    flat = {k: v[0] for k, v in form.items()}
    op = model.operation_model(flat.pop("Action"))
    flat.pop("Version", None)
    shape = op.input_shape
    params, used = (query_structure(shape, "", flat) if shape else ({}, set()))
    unknown = sorted(set(flat) - used)
    if unknown:
        raise Violation(f"{op.name}: unknown member {unknown[0]!r} (value {flat[unknown[0]]!r})")
    return op, params


def wire_name(name, member):
    """The member's name on the wire (its locationName), the key the checks look for."""
    return member.serialization.get("name", name)


def query_structure(shape, prefix, flat):
    params, used = {}, set()
    for name, member in shape.members.items():
        value, keys = query_value(member, prefix + wire_name(name, member), flat)
        used |= keys
        if value is not None:
            params[wire_name(name, member)] = value
    return params, used


def query_value(shape, key, flat):
    if shape.type_name == "structure":
        if not any(k == key or k.startswith(key + ".") for k in flat):
            return None, set()
        return query_structure(shape, key + ".", flat)
    if shape.type_name == "list":
        item = key if shape.serialization.get("flattened") else key + ".member"
        values, used, i = [], set(), 1
        while True:
            value, keys = query_value(shape.member, f"{item}.{i}", flat)
            if value is None:
                break
            values.append(value)
            used |= keys
            i += 1
        if key in flat and flat[key] == "":
            used.add(key)  # an empty list is sent as `Member=`
        return (values if values or key in flat else None), used
    if shape.type_name == "map":
        entries, used, i = {}, set(), 1
        while f"{key}.entry.{i}.key" in flat:
            entries[flat[f"{key}.entry.{i}.key"]] = flat.get(f"{key}.entry.{i}.value")
            used |= {f"{key}.entry.{i}.key", f"{key}.entry.{i}.value"}
            i += 1
        return (entries or None), used
    if key not in flat:
        return None, set()
    return scalar(shape, flat[key]), {key}


def scalar(shape, text):
    try:
        if shape.type_name in ("integer", "long"):
            return int(text)
        if shape.type_name in ("double", "float"):
            return float(text)
        if shape.type_name == "boolean":
            return text == "true"
    except ValueError:
        raise Violation(f"member value {text!r} is not a {shape.type_name}")
    return text


def rest_operation(model, method, path, headers, body):
    url = urllib.parse.urlsplit(path)
    for name in model.operation_names:
        op = model.operation_model(name)
        if op.http.get("method") != method:
            continue
        labels = match_uri(op.http.get("requestUri", "/"), url.path)
        if labels is None:
            continue
        return op, rest_params(op, labels, urllib.parse.parse_qs(url.query), headers, body)
    raise Violation(f"no {model.service_name} operation serves {method} {url.path}")


def match_uri(template, path):
    template = template.split("?", 1)[0]
    pattern = re.sub(r"\\{(\w+)\\\+\\}", r"(?P<\1>.+)", re.escape(template))
    pattern = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", pattern)
    match = re.fullmatch(pattern, path)
    return {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()} if match else None


def rest_params(op, labels, query, headers, body):
    shape = op.input_shape
    if shape is None:
        return {}
    document = json.loads(body) if body.strip() else {}
    params = {}
    for name, member in shape.members.items():
        where, wire = member.serialization.get("location"), wire_name(name, member)
        if where == "uri" and wire in labels:
            params[wire] = labels[wire]
        elif where == "querystring" and wire in query:
            values = query[wire]
            params[wire] = values if member.type_name == "list" else scalar(member, values[0])
        elif where == "header" and headers.get(wire) is not None:
            params[wire] = scalar(member, headers[wire])
        elif where is None and wire in document:
            params[wire] = document.pop(wire)
    if document:
        first = sorted(document)[0]
        raise Violation(f"{op.name}: unknown member {first!r} (value {json.dumps(document[first])[:200]})")
    return params


# ---------------------------------------------------------------------------------------------
# The checks, as AWS makes them.


def check(shape, value, path):
    kind = shape.type_name
    if kind == "structure":
        check_structure(shape, value, path)
    elif kind == "list":
        check_size(shape, len(value), path, "items")
        for i, item in enumerate(value):
            check(shape.member, item, f"{path}[{i}]")
    elif kind == "map":
        check_size(shape, len(value), path, "entries")
        for k, v in value.items():
            check(shape.key, k, f"{path} key")
            check(shape.value, v, f"{path}[{k}]")
    elif kind == "string":
        check_string(shape, value, path)
    elif kind in ("integer", "long"):
        check_range(shape, value, path)


def check_structure(shape, value, path):
    if not isinstance(value, dict):
        raise Violation(f"{path}: expected a structure, got {json.dumps(value)[:200]}")
    members = {wire_name(n, m): (n, m) for n, m in shape.members.items()}
    for required in shape.required_members:
        if value.get(wire_name(required, shape.members[required])) is None:
            raise Violation(f"{path}.{required}: required member missing")
    for key, item in value.items():
        if key not in members:
            known = ", ".join(members)
            raise Violation(f"{path}.{key}: unknown member (members: {known}); value {json.dumps(item)[:200]}")
        name, member = members[key]
        if item is not None:
            check(member, item, f"{path}.{name}")


def shown(value):
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def check_string(shape, value, path):
    if not isinstance(value, str):
        raise Violation(f"{path}: expected a string, got {json.dumps(value)[:200]}")
    check_size(shape, len(value), path, "characters", value)
    enum = shape.enum
    if enum and value not in enum:
        raise Violation(f"{path}: {shown(value)} is not one of the enum values {enum}")
    pattern = shape.metadata.get("pattern")
    if pattern and re.fullmatch(pattern, value, flags=re.DOTALL) is None:
        raise Violation(f"{path}: {shown(value)} does not match the pattern {pattern!r} (matched whole)")


def check_size(shape, size, path, unit, value=None):
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    what = f" ({shown(value)})" if value is not None else ""
    if low is not None and size < low:
        raise Violation(f"{path}: {size} {unit}{what}, fewer than the minimum {low}")
    if high is not None and size > high:
        raise Violation(f"{path}: {size} {unit}{what}, more than the maximum {high}")


def check_range(shape, value, path):
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and value < low:
        raise Violation(f"{path}: {value} is below the minimum {low}")
    if high is not None and value > high:
        raise Violation(f"{path}: {value} is above the maximum {high}")


def inspect(method, path, headers, body):
    """(service, operation) when the request is an AWS call; raises Violation when AWS would refuse it."""
    signing = signing_name(headers)
    model = service_model(signing) if signing else None
    if model is None:
        return None
    # The request says its protocol: a service may offer several (CloudWatch: query, JSON, CBOR).
    content_type = headers.get("Content-Type") or ""
    if headers.get("X-Amz-Target"):
        op, params = json_operation(model, headers, body)
    elif "x-www-form-urlencoded" in content_type:
        op, params = query_operation(model, body)
    elif model.metadata.get("protocol") == "rest-json":
        op, params = rest_operation(model, method, path, headers, body)
    else:
        raise Violation(f"a protocol the check does not read ({content_type or 'no content type'})")
    if op.input_shape is not None:
        check(op.input_shape, params, op.name)
    return (model.service_name, op.name)


# ---------------------------------------------------------------------------------------------
# The proxy.


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = None
    record = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.relay()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def relay(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            seen = inspect(self.command, self.path, self.headers, body)
            if seen:
                self.record.operation(*seen)
        except Violation as violation:
            return self.refuse(str(violation))
        except (KeyError, ValueError, json.JSONDecodeError) as error:
            return self.refuse(f"request not readable against the model: {error!r}")
        self.forward(body)

    def refuse(self, message):
        signing = signing_name(self.headers) or "?"
        text = f"model check ({signing}): {message}"
        self.record.violation(text)
        payload = json.dumps({"__type": "ValidationException", "message": text, "Message": text}).encode()
        if "x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            payload = (
                "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                f"<Message>{escaped}</Message></Error><RequestId>model-check</RequestId></ErrorResponse>"
            ).encode()
            self.answer(400, "text/xml", payload, {})
        else:
            self.answer(400, "application/x-amz-json-1.1", payload, {"x-amzn-ErrorType": "ValidationException"})

    def forward(self, body):
        connection = self.record.connection()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.record.drop_connection()
            return self.answer(502, "text/plain", b"model check proxy: moto did not answer", {})
        skip = ("transfer-encoding", "connection", "content-length", "keep-alive", "date", "server")
        extra = {k: v for k, v in response.getheaders() if k.lower() not in skip}
        self.answer(response.status, None, payload, extra)

    def answer(self, status, content_type, payload, extra):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class Record:
    def __init__(self, upstream, violations, operations):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.violations = violations
        self.operations = operations
        self.seen = set()
        self.lock = threading.Lock()
        self.local = threading.local()

    def connection(self):
        if getattr(self.local, "connection", None) is None:
            self.local.connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=120)
        return self.local.connection

    def drop_connection(self):
        self.local.connection = None

    def operation(self, service, name):
        with self.lock:
            if (service, name) not in self.seen:
                self.seen.add((service, name))
                with open(self.operations, "a") as f:
                    f.write(f"{service} {name}\n")

    def violation(self, text):
        with self.lock:
            with open(self.violations, "a") as f:
                f.write(text + "\n")


def signed(service, extra=None):
    headers = {"Authorization": f"AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/{service}/aws4_request, Signature=0"}
    headers.update(extra or {})
    return headers


def self_test():
    """Each request here is one AWS refuses (or takes): the check must say the same."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    ecs = {"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.UpdateService", "Content-Type": "application/x-amz-json-1.1"}
    cases = [
        # (what, method, path, headers, body, the violation's words, or None when AWS takes it)
        ("a good query request", "POST", "/", signed("monitoring", form),
         b"Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FVPN&MetricName=TunnelState", None),
        ("a length limit", "POST", "/", signed("monitoring", form),
         b"Action=ListMetrics&Version=2010-08-01&MetricName=" + b"x" * 256, "more than the maximum 255"),
        ("an unknown query member", "POST", "/", signed("monitoring", form),
         b"Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FVPN&RecentlyActiv=PT3H", "unknown member 'RecentlyActiv'"),
        ("a nested query list", "POST", "/", signed("monitoring", form),
         b"Action=ListMetrics&Version=2010-08-01&Dimensions.member.1.Name=VpnId&Dimensions.member.1.Value=" + b"v" * 1025,
         "ListMetrics.Dimensions[0].Value: 1025 characters"),
        ("JSON member casing", "POST", "/", signed("ecs", ecs), b'{"service": "app", "TaskDefinition": "app:2"}',
         "UpdateService.TaskDefinition: unknown member"),
        ("a required member", "POST", "/", signed("ecs", ecs), b'{"cluster": "c"}', "UpdateService.service: required member missing"),
        ("a good JSON request", "POST", "/", signed("ecs", ecs), b'{"cluster": "c", "service": "app"}', None),
        ("a REST pattern", "POST", "/schedules/silo%20acme", signed("scheduler", {"Content-Type": "application/json"}),
         b'{"ScheduleExpression": "at(2030-01-01T00:00:00)", "FlexibleTimeWindow": {"Mode": "OFF"}, '
         b'"Target": {"Arn": "arn:aws:scheduler:::aws-sdk:ecs:updateService", "RoleArn": "arn:aws:iam::111122223333:role/r"}}',
         "CreateSchedule.Name: 'silo acme' does not match the pattern"),
        ("a REST range", "POST", "/schedules/silo-acme", signed("scheduler", {"Content-Type": "application/json"}),
         b'{"ScheduleExpression": "at(2030-01-01T00:00:00)", "FlexibleTimeWindow": {"Mode": "OFF"}, '
         b'"Target": {"Arn": "arn:aws:scheduler:::aws-sdk:ecs:updateService", "RoleArn": "arn:aws:iam::111122223333:role/r", '
         b'"RetryPolicy": {"MaximumEventAgeInSeconds": 90000}}}',
         "CreateSchedule.Target.RetryPolicy.MaximumEventAgeInSeconds: 90000 is above the maximum 86400"),
        ("an enum", "POST", "/schedules/silo-acme", signed("scheduler", {"Content-Type": "application/json"}),
         b'{"ScheduleExpression": "at(2030-01-01T00:00:00)", "FlexibleTimeWindow": {"Mode": "off"}, '
         b'"Target": {"Arn": "arn:aws:scheduler:::aws-sdk:ecs:updateService", "RoleArn": "arn:aws:iam::111122223333:role/r"}}',
         "FlexibleTimeWindow.Mode: 'off' is not one of the enum values"),
        ("a Java pattern (\\p{L})", "POST", "/", signed("organizations", {"X-Amz-Target": "AWSOrganizationsV20161128.TagResource"}),
         '{"ResourceId": "111122223333", "Tags": [{"Key": "tenant", "Value": "Ação #1"}]}'.encode(),
         "TagResource.Tags[0].Value: 'Ação #1' does not match the pattern"),
    ]
    failures = []
    for what, method, path, headers, body, expected in cases:
        try:
            inspect(method, path, headers, body)
            said = None
        except Violation as violation:
            said = str(violation)
        if (expected is None and said is not None) or (expected is not None and (said is None or expected not in said)):
            failures.append(f"{what}: expected {expected!r}, the check said {said!r}")
    for failure in failures:
        print(failure)
    print(f"model check self-test: {len(cases) - len(failures)} of {len(cases)} cases as AWS would judge them")
    return 1 if failures else 0


def print_shape(service, shape):
    """The members of one shape (and the member names of their target shapes), for tests/model_check.rs."""
    model = service_model(service)
    found = model.shape_for(shape)
    members = {name: {"shape": m.name, "type": m.type_name, "required": name in found.required_members}
               for name, m in found.members.items()}
    print(json.dumps({"members": members}))


class Server(http.server.ThreadingHTTPServer):
    # The fault test opens hundreds of connections at once: the default backlog of 5 would
    # refuse some before the proxy could accept them.
    request_queue_size = 1024
    daemon_threads = True


def main():
    if sys.argv[1:2] == ["--self-test"]:
        sys.exit(self_test())
    if sys.argv[1:2] == ["--shape"]:
        return print_shape(sys.argv[2], sys.argv[3])
    port_file, upstream, *rest = sys.argv[1:]
    # --append: a second check writing to the files of the first (which emptied them).
    append = rest[:1] == ["--append"]
    violations, operations = rest[1:3] if append else rest[:2]
    for path in () if append else (violations, operations):
        open(path, "w").close()
    Proxy.record = Record(upstream, violations, operations)
    server = Server(("127.0.0.1", 0), Proxy)
    with open(port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
