"""A FastAPI backend for flowpulse clients, with lossless reconnects.

Speaks the original design's protocol (seven message types, ping/pong on
``/api/ws/workflow/{workflow_id}``) plus flowpulse's additive extensions:

* every message of a run carries ``seq``: 1, 2, 3... per execution;
* a reconnecting client sends ``?execution_id=...&last_seq=...`` and gets what
  it missed from a bounded replay buffer, or a ``snapshot`` of the run once
  that is no longer all held; a client with no position gets the latest run's
  snapshot, one whose run we do not know an ``execution_id: null`` snapshot;
* ``node_id`` on ``log``; ``run_state`` on cancel.

Standard library and FastAPI/Starlette/uvicorn only. State lives in memory, in
one process: run a single uvicorn worker.

    python3 -m uvicorn app:app --port 8000
"""

import asyncio
import json
import logging
import os
import time
import uuid
from collections import OrderedDict, deque
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from fastapi import FastAPI, WebSocket
from fastapi.responses import JSONResponse
from pydantic import BaseModel

REPLAY_MESSAGES = int(os.environ.get("REPLAY_MESSAGES", "1000"))  # kept per execution
MAX_LOGS = 500  # log lines a run keeps; older ones are counted in dropped_logs
SNAPSHOT_LOGS = 200  # the newest of them a snapshot carries
MAX_FINISHED_RUNS = 20  # per workflow; older finished runs are forgotten
MAX_LIVE_RUNS = 20  # in all
MAX_QUEUED = REPLAY_MESSAGES + 1000  # frames waiting for one socket: a whole catch-up, and more

logger = logging.getLogger("flowpulse_example")


def now() -> str:
    # Zoned: a zone-less time would be read in the browser's own time zone.
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def to_json(message: Any) -> str:
    # NaN and Infinity are not JSON: fail here rather than send what clients reject.
    return json.dumps(message, allow_nan=False, separators=(",", ":"))


# --- Fan-out: an outbound queue per socket ----------------------------------------


class Subscriber:
    """One socket. ``send`` never awaits, so a run can publish to every socket in
    the same synchronous step as it numbers and buffers a message; a task per
    socket writes its queue out."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.queue: "asyncio.Queue[Optional[str]]" = asyncio.Queue()
        self.dropped = False

    def send(self, text: str) -> None:
        if self.dropped:
            return
        if self.queue.qsize() >= MAX_QUEUED:
            # Too slow: closed (1013, try again later) rather than buffered for without
            # limit. It reconnects with its last seq and catches up from there.
            self.dropped = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)
        else:
            self.queue.put_nowait(text)

    async def write_loop(self) -> None:
        try:
            while (text := await self.queue.get()) is not None:
                await self.websocket.send_text(text)
            await self.websocket.close(code=1013, reason="slow consumer")
        except Exception:
            pass  # the socket is gone: the receive loop ends and unsubscribes


subscribers: Dict[str, set] = {}  # workflow_id -> {Subscriber}


# --- Runs: numbered messages, a replay buffer, a record to snapshot -----------------


class Run:
    """One execution. ``emit`` numbers a message, applies it to the record, buffers
    it and sends it, in one synchronous step: at any moment the record is exactly
    what a client that applied every message so far knows."""

    def __init__(self, workflow_id: str, order: List[str]) -> None:
        self.workflow_id, self.execution_id, self.order = workflow_id, str(uuid.uuid4()), order
        self.seq = 0
        self.replay: deque = deque(maxlen=REPLAY_MESSAGES)  # (seq, text) as sent
        self.run_state, self.cancel_reason, self.started_at = "running", None, None
        self.nodes = {n: {"status": "pending", "result": None, "error": None,
                          "started_at": None, "finished_at": None} for n in order}
        self.current_step, self.progress, self.current_node_id = 0, 0.0, None
        self.logs: deque = deque(maxlen=MAX_LOGS)
        self.dropped_logs = 0
        self.errors: List[dict] = []  # not bounded: a run stops at its first failure
        self.success, self.execution_time, self.completion_errors = None, None, []
        self.failures: List[Any] = []  # the engine's; clients learn them from workflow_complete
        self.clock = time.perf_counter()
        self.task: Optional[asyncio.Task] = None

    @property
    def live(self) -> bool:
        return self.success is None

    def emit(self, type_: str, **data: Any) -> None:
        if not self.live:
            return  # nothing follows workflow_complete
        self.seq += 1
        ids = {"workflow_id": self.workflow_id, "execution_id": self.execution_id}
        message = {"type": type_, "timestamp": now(), "seq": self.seq, "data": {**ids, **data}}
        self._apply(message)
        text = to_json(message)
        self.replay.append((self.seq, text))
        for subscriber in list(subscribers.get(self.workflow_id, ())):
            subscriber.send(text)

    def log(self, level: str, message: str, node_id: Optional[str] = None) -> None:
        self.emit("log", level=level, message=message, node_id=node_id)

    def _apply(self, m: dict) -> None:
        kind, d, at = m["type"], m["data"], m["timestamp"]
        if kind == "workflow_start":
            self.started_at = at
        elif kind == "node_status":
            node = self.nodes[d["node_id"]]
            node.update(status=d["status"], result=d["result"], error=d["error"])
            node["started_at" if d["status"] == "running" else "finished_at"] = at
        elif kind == "progress":
            self.current_step, self.progress = d["current_step"], d["progress"]
            self.current_node_id = d["current_node_id"]
        elif kind == "log":
            self.dropped_logs += len(self.logs) == MAX_LOGS
            self.logs.append({"level": d["level"], "message": d["message"], "node_id": d["node_id"],
                              "timestamp": at, "seq": m["seq"]})
        elif kind == "error":
            self.errors.append({"error": d["error"], "node_id": d["node_id"], "timestamp": at})
        elif kind == "run_state":
            self.run_state, self.cancel_reason = d["state"], d["reason"]
        elif kind == "workflow_complete":
            if self.run_state != "cancelled":
                self.run_state = "completed" if d["success"] else "failed"
            self.progress, self.current_node_id = 100.0, None
            self.success, self.execution_time = d["success"], d["execution_time"]
            self.completion_errors = d["errors"]

    def finish(self, task: asyncio.Task) -> None:
        """The run task's done callback: however it ended (done, failed, cancelled,
        even before it started, or crashed), its clients get a workflow_complete."""
        if not task.cancelled() and task.exception() is not None:
            logger.error("run %s crashed", self.execution_id, exc_info=task.exception())
            self.failures.append("internal error")  # the details stay in the server log
        elapsed, ok = time.perf_counter() - self.clock, not self.failures
        self.log("info" if ok else "warning", f"Workflow {self.workflow_id} finished in {elapsed:.2f} s")
        self.emit("workflow_complete", success=ok, execution_time=elapsed, errors=list(self.failures))
        finished = [r for r in runs[self.workflow_id].values() if not r.live]
        for old in finished[:-MAX_FINISHED_RUNS]:
            del runs[self.workflow_id][old.execution_id]

    def snapshot(self, max_logs: int = SNAPSHOT_LOGS) -> dict:
        """Everything known of the run. Its ``seq`` is the run's last one: live
        messages continue right after it."""
        logs = list(self.logs)[-max_logs:] if max_logs > 0 else []
        return {"type": "snapshot", "timestamp": now(), "seq": self.seq, "data": dict(
            workflow_id=self.workflow_id, execution_id=self.execution_id, run_state=self.run_state,
            started_at=self.started_at, execution_order=self.order, total_nodes=len(self.order),
            nodes=self.nodes, current_step=self.current_step, total_steps=len(self.order),
            progress=self.progress, current_node_id=self.current_node_id, logs=logs,
            dropped_logs=self.dropped_logs + len(self.logs) - len(logs), errors=self.errors,
            success=self.success, execution_time=self.execution_time,
            completion_errors=self.completion_errors, cancel_reason=self.cancel_reason)}

    def catch_up(self, last_seq: Optional[int]) -> List[str]:
        """What a client that applied this run up to ``last_seq`` is missing."""
        if last_seq == self.seq:
            return []
        if last_seq is not None and last_seq < self.seq and self.replay and self.replay[0][0] <= last_seq + 1:
            return [text for seq, text in self.replay if seq > last_seq]
        return [to_json(self.snapshot())]  # too far behind (or ahead: another server's numbers)


runs: Dict[str, "OrderedDict[str, Run]"] = {}  # workflow_id -> its runs, oldest first


def no_run_snapshot(workflow_id: str) -> str:
    return to_json({"type": "snapshot", "timestamp": now(), "data": dict(
        workflow_id=workflow_id, execution_id=None, run_state=None, execution_order=[], total_nodes=0,
        nodes={}, current_step=0, total_steps=0, progress=0, current_node_id=None, logs=[], errors=[],
        success=None, execution_time=None, completion_errors=[])})


def catch_up_frames(workflow_id: str, execution_id: Optional[str], last_seq: Optional[int]) -> List[str]:
    """What a joining socket needs before live messages: the rest of the run it
    shows (``execution_id: null`` if we do not know that run: we restarted, or
    forgot it), then a snapshot of each newer run still live and of the newest
    run. The client moves on to each and files the one before as past, as one
    connected all along did at each ``workflow_start``."""
    known = list(runs.get(workflow_id, {}).values())
    shown = runs[workflow_id].get(execution_id) if known and execution_id else None
    frames = shown.catch_up(last_seq) if shown else [no_run_snapshot(workflow_id)] if execution_id else []
    if not known:
        return frames or [no_run_snapshot(workflow_id)]
    for run in known[known.index(shown) + 1 if shown else 0:]:
        if run is known[-1]:
            frames.append(to_json(run.snapshot()))
        elif run.live:  # shown as past only: a summary, without log lines
            frames.append(to_json(run.snapshot(max_logs=0)))
    return frames


# --- A toy engine: async nodes of a DAG, wave by wave --------------------------------
# A node is `async def node(ctx, inputs) -> result`: `inputs` has the results of
# the nodes before it and the request's inputs as "initial"; a result must be JSON.


class NodeContext:
    def __init__(self, run: Run, node_id: str, step_seconds: float) -> None:
        self.run, self.node_id, self.step_seconds = run, node_id, step_seconds

    def log(self, message: str, level: str = "info") -> None:
        self.run.log(level, message, self.node_id)

    async def work(self) -> None:
        await asyncio.sleep(self.step_seconds)  # stands for real I/O


async def fetch_orders(ctx: NodeContext, inputs: Dict[str, Any]) -> Any:
    rows = int(inputs["initial"].get("rows", 6))
    pages = min(max(1, (rows + 1) // 2), 50)  # two rows a page
    for page in range(1, pages + 1):
        await ctx.work()
        ctx.log(f"fetched page {page}/{pages}")
    return {"rows": rows}


async def validate(ctx: NodeContext, inputs: Dict[str, Any]) -> Any:
    await ctx.work()
    ctx.log("all rows valid")
    return {"valid": inputs["fetch"]["rows"]}


async def enrich(ctx: NodeContext, inputs: Dict[str, Any]) -> Any:
    for batch in (1, 2):
        await ctx.work()
        ctx.log(f"enriched batch {batch}/2")
    return {"customers": inputs["fetch"]["rows"] // 2}


async def charge(ctx: NodeContext, inputs: Dict[str, Any]) -> Any:
    await ctx.work()
    raise RuntimeError("Payment API returned 503")


async def report(ctx: NodeContext, inputs: Dict[str, Any]) -> Any:
    await ctx.work()
    return {"summary": f"{inputs['validate']['valid']} orders, {inputs['enrich']['customers']} customers"}


def edges(*pairs: str) -> List[dict]:
    return [{"id": f"{s}-{t}", "source": s, "target": t} for s, t in (p.split(">") for p in pairs)]


WORKFLOWS: Dict[str, dict] = {
    "orders": {
        "nodes": {"fetch": fetch_orders, "validate": validate, "enrich": enrich, "report": report},
        "edges": edges("fetch>validate", "fetch>enrich", "validate>report", "enrich>report"),
    },
    "failing": {
        "nodes": {"fetch": fetch_orders, "charge": charge, "validate": validate, "enrich": enrich,
                  "report": report},
        "edges": edges("fetch>charge", "fetch>validate", "charge>enrich", "validate>report", "enrich>report"),
    },
}


def waves(workflow: dict) -> List[List[str]]:
    """The nodes in waves: each node's inputs all come from earlier waves."""
    done: set = set()
    result = []
    while len(done) < len(workflow["nodes"]):
        wave = [n for n in workflow["nodes"] if n not in done
                and all(e["source"] in done for e in workflow["edges"] if e["target"] == n)]
        if not wave:
            raise ValueError("the workflow has a cycle")
        result.append(wave)
        done.update(wave)
    return result


async def run_node(run: Run, workflow: dict, node_id: str, results: Dict[str, Any], step: float) -> bool:
    ids = {"node_id": node_id, "progress": None}
    run.emit("node_status", status="running", result=None, error=None, **ids)
    try:
        result = await workflow["nodes"][node_id](NodeContext(run, node_id, step), results)
        to_json(result)  # a result that cannot be sent fails its node, not the run
    except asyncio.CancelledError:
        run.emit("node_status", status="error", result=None, error=f"cancelled: {run.cancel_reason}", **ids)
        raise
    except Exception as exc:
        error = str(exc) or type(exc).__name__
        run.emit("node_status", status="error", result=None, error=error, **ids)
        run.emit("error", error=error, node_id=node_id)
        run.log("error", f"Node {node_id} failed: {error}", node_id)
        run.failures.append({"node_id": node_id, "error": error})
        return False
    results[node_id] = result
    run.emit("node_status", status="completed", result=result, error=None, **ids)
    done = sum(n["status"] == "completed" for n in run.nodes.values())
    run.emit("progress", current_step=done, total_steps=len(run.order),
             progress=done / len(run.order) * 100, current_node_id=node_id)
    for e in workflow["edges"]:
        if e["source"] == node_id:
            run.emit("edge_flow", source_node_id=node_id, target_node_id=e["target"], edge_id=e["id"],
                     data=result)
    return True


async def execute(run: Run, workflow: dict, initial: Dict[str, Any], step: float) -> None:
    results: Dict[str, Any] = {"initial": initial}
    for wave in waves(workflow):
        outcomes = await asyncio.gather(*(run_node(run, workflow, n, results, step) for n in wave))
        if not all(outcomes):
            return  # a failed node stops the run; nodes not started stay pending


# --- HTTP and WebSocket -----------------------------------------------------------------

app = FastAPI(title="flowpulse FastAPI example")


def refuse(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)  # what flowpulse/control shows


class ExecuteRequest(BaseModel):
    initial_inputs: Dict[str, Any] = {}


@app.get("/api/workflows")
async def list_workflows() -> List[str]:
    return list(WORKFLOWS)


@app.post("/api/workflows/{workflow_id}/execute", status_code=202)
async def execute_workflow(workflow_id: str, request: ExecuteRequest) -> Any:
    if workflow_id not in WORKFLOWS:
        return refuse(404, f"unknown workflow {workflow_id}")
    if sum(r.live for wf in runs.values() for r in wf.values()) >= MAX_LIVE_RUNS:
        return refuse(429, "too many runs in progress")
    step = request.initial_inputs.get("step_seconds", 0.2)  # the toy nodes' pace
    if not isinstance(step, (int, float)) or not 0 <= step <= 2:
        return refuse(400, "step_seconds must be a number from 0 to 2")
    workflow = WORKFLOWS[workflow_id]
    run = Run(workflow_id, [n for wave in waves(workflow) for n in wave])
    runs.setdefault(workflow_id, OrderedDict())[run.execution_id] = run
    run.emit("workflow_start", execution_order=run.order, total_nodes=len(run.order))
    run.log("info", f"Workflow {workflow_id} started")
    run.task = asyncio.create_task(execute(run, workflow, request.initial_inputs, step))
    run.task.add_done_callback(run.finish)
    return {"execution_id": run.execution_id, "workflow_id": workflow_id, "status": "started"}


@app.post("/api/workflows/{workflow_id}/executions/{execution_id}/cancel")
async def cancel_execution(workflow_id: str, execution_id: str) -> Any:
    run = runs.get(workflow_id, {}).get(execution_id)
    if run is None:
        return refuse(404, "unknown execution")
    if not run.live or run.run_state == "cancelled":
        return refuse(409, "the execution has finished")
    reason = "cancelled by user"
    run.emit("run_state", state="cancelled", reason=reason)
    run.emit("error", error=f"Execution cancelled: {reason}", node_id=None)
    run.log("warning", f"Execution cancelled: {reason}")
    run.failures.append(f"Execution cancelled: {reason}")
    run.task.cancel()  # running nodes report themselves cancelled, then finish() ends the run
    return {"execution_id": execution_id, "state": "cancelled"}


@app.get("/api/workflows/{workflow_id}/executions/{execution_id}")
async def get_execution(workflow_id: str, execution_id: str) -> Any:
    run = runs.get(workflow_id, {}).get(execution_id)
    return refuse(404, "unknown execution") if run is None else run.snapshot(max_logs=MAX_LOGS)["data"]


@app.websocket("/api/ws/workflow/{workflow_id}")
async def workflow_socket(websocket: WebSocket, workflow_id: str) -> None:
    # Read by hand, not as typed query parameters: a malformed last_seq must mean
    # "no position" (a snapshot), not a validation close (1008, which stops retries).
    execution_id = websocket.query_params.get("execution_id") or None
    text = websocket.query_params.get("last_seq", "")
    last_seq = int(text) if text.isascii() and text.isdigit() and len(text) < 16 else None
    # Authenticate here if you need to, before accepting: the flowpulse client sends
    # its `token` option as the subprotocol `flowpulse.bearer.<token>`, with `flowpulse`.
    # Answer `flowpulse` when offered: a client that offered subprotocols may refuse
    # a handshake that picks none (Node's `ws` package does; browsers do not).
    offered = websocket.scope.get("subprotocols", [])
    await websocket.accept(subprotocol="flowpulse" if "flowpulse" in offered else None)
    subscriber = Subscriber(websocket)
    # Catch up and subscribe in ONE synchronous step: no `await` from here to the
    # `add`. asyncio runs one task at a time and switches tasks only at an await,
    # so no run can emit in between: every message is either in the catch-up
    # (replayed, or in the snapshot) or sent live after it; never both, never neither.
    for frame in catch_up_frames(workflow_id, execution_id, last_seq):
        subscriber.send(frame)
    subscribers.setdefault(workflow_id, set()).add(subscriber)
    writer = asyncio.create_task(subscriber.write_loop())
    try:
        while True:
            message = await websocket.receive()  # not receive_text(): a binary frame would raise
            if message["type"] == "websocket.disconnect":
                break
            if message.get("text") == "ping":
                subscriber.send(to_json({"type": "pong", "workflow_id": workflow_id}))
    finally:
        subscribers.get(workflow_id, set()).discard(subscriber)
        if not subscribers.get(workflow_id):
            subscribers.pop(workflow_id, None)
        writer.cancel()
