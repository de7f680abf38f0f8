"""A backend written to the seed design: FastAPI + WebSocket workflow status.

This is a stand-in for a user's own Python backend, written the way the seed
spec describes one (``ws_manager``, ``WebSocketHandler``, ``WorkflowEngine``).
It knows nothing about flowpulse's extensions (no ``seq``, no ``snapshot``,
no subprotocols): flowpulse's client must cope with it unchanged.

Run with: python3 -m uvicorn seed_backend:app --port 8000
"""

import asyncio
import time
import uuid
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Set

from fastapi import FastAPI, HTTPException, WebSocket, WebSocketDisconnect
from pydantic import BaseModel


# --- manager.py: connection management ---------------------------------------


class ConnectionManager:
    """Keeps the open sockets of each workflow."""

    def __init__(self) -> None:
        self.active_connections: Dict[str, Set[WebSocket]] = {}

    async def connect(self, websocket: WebSocket, workflow_id: str) -> None:
        await websocket.accept()
        self.active_connections.setdefault(workflow_id, set()).add(websocket)

    def disconnect(self, websocket: WebSocket, workflow_id: str) -> None:
        sockets = self.active_connections.get(workflow_id)
        if sockets is None:
            return
        sockets.discard(websocket)
        if not sockets:
            del self.active_connections[workflow_id]

    async def send_personal_message(self, message: dict, websocket: WebSocket) -> None:
        await websocket.send_json(message)

    async def broadcast_to_workflow(self, message: dict, workflow_id: str) -> None:
        for websocket in list(self.active_connections.get(workflow_id, ())):
            try:
                await websocket.send_json(message)
            except Exception:
                # A socket that went away mid-send is simply forgotten.
                self.disconnect(websocket, workflow_id)

    async def broadcast_all(self, message: dict) -> None:
        for workflow_id in list(self.active_connections):
            await self.broadcast_to_workflow(message, workflow_id)


ws_manager = ConnectionManager()


# --- handler.py: message creation ---------------------------------------------


def _message(message_type: str, data: dict) -> dict:
    return {"type": message_type, "timestamp": datetime.now().isoformat(), "data": data}


class WebSocketHandler:
    """Builds the seed's messages: ``{"type", "timestamp", "data"}``."""

    @staticmethod
    def create_workflow_start_message(workflow_id: str, execution_id: str, execution_order: List[str]) -> dict:
        return _message(
            "workflow_start",
            {
                "workflow_id": workflow_id,
                "execution_id": execution_id,
                "execution_order": execution_order,
                "total_nodes": len(execution_order),
            },
        )

    @staticmethod
    def create_node_status_message(
        workflow_id: str,
        execution_id: str,
        node_id: str,
        status: str,
        result: Any = None,
        error: Optional[str] = None,
        progress: Optional[float] = None,
    ) -> dict:
        return _message(
            "node_status",
            {
                "workflow_id": workflow_id,
                "execution_id": execution_id,
                "node_id": node_id,
                "status": status,
                "result": result,
                "error": error,
                "progress": progress,
            },
        )

    @staticmethod
    def create_edge_flow_message(
        workflow_id: str,
        execution_id: str,
        source_node_id: str,
        target_node_id: str,
        edge_id: Optional[str] = None,
        data: Any = None,
    ) -> dict:
        return _message(
            "edge_flow",
            {
                "workflow_id": workflow_id,
                "execution_id": execution_id,
                "source_node_id": source_node_id,
                "target_node_id": target_node_id,
                "edge_id": edge_id,
                "data": data,
            },
        )

    @staticmethod
    def create_progress_message(
        workflow_id: str, execution_id: str, current_step: int, total_steps: int, current_node_id: Optional[str] = None
    ) -> dict:
        return _message(
            "progress",
            {
                "workflow_id": workflow_id,
                "execution_id": execution_id,
                "current_step": current_step,
                "total_steps": total_steps,
                "progress": current_step / total_steps * 100 if total_steps else 0.0,
                "current_node_id": current_node_id,
            },
        )

    @staticmethod
    def create_log_message(workflow_id: str, execution_id: str, level: str, message: str) -> dict:
        return _message(
            "log",
            {"workflow_id": workflow_id, "execution_id": execution_id, "level": level, "message": message},
        )

    @staticmethod
    def create_error_message(workflow_id: str, execution_id: str, error: str, node_id: Optional[str] = None) -> dict:
        return _message(
            "error",
            {"workflow_id": workflow_id, "execution_id": execution_id, "error": error, "node_id": node_id},
        )

    @staticmethod
    def create_workflow_complete_message(
        workflow_id: str, execution_id: str, success: bool, execution_time: float, errors: Optional[list] = None
    ) -> dict:
        return _message(
            "workflow_complete",
            {
                "workflow_id": workflow_id,
                "execution_id": execution_id,
                "success": success,
                "execution_time": execution_time,
                "errors": errors or [],
            },
        )


# --- the workflow engine ---------------------------------------------------------

NodeFunction = Callable[[Dict[str, Any]], Any]


def _load(inputs: Dict[str, Any]) -> Any:
    return {"rows": inputs.get("initial_inputs", {}).get("rows", 3)}


def _double(inputs: Dict[str, Any]) -> Any:
    return {"rows": inputs["a"]["rows"] * 2}


def _report(inputs: Dict[str, Any]) -> Any:
    return {"output": f"{inputs['b']['rows']} rows"}


def _explode(inputs: Dict[str, Any]) -> Any:
    raise RuntimeError("Payment API returned 503")


# Built-in sample workflows: nodes (id -> function) and edges (id, source, target).
SAMPLE_WORKFLOWS: Dict[str, dict] = {
    "linear": {
        "nodes": {"a": _load, "b": _double, "c": _report},
        "edges": [{"id": "a-b", "source": "a", "target": "b"}, {"id": "b-c", "source": "b", "target": "c"}],
    },
    "failing": {
        "nodes": {"a": _load, "b": _explode, "c": _report},
        "edges": [{"id": "a-b", "source": "a", "target": "b"}, {"id": "b-c", "source": "b", "target": "c"}],
    },
}

NODE_DELAY_SECONDS = 0.05


class WorkflowEngine:
    """Runs one workflow's DAG, node by node, reporting each step over WebSocket."""

    def __init__(self, workflow_id: str, enable_websocket: bool = True) -> None:
        self.workflow_id = workflow_id
        self.enable_websocket = enable_websocket
        self.workflow = SAMPLE_WORKFLOWS[workflow_id]

    async def _send(self, message: dict) -> None:
        if self.enable_websocket:
            await ws_manager.broadcast_to_workflow(message, self.workflow_id)

    def execution_order(self) -> List[str]:
        """Topological order (Kahn), ties in definition order."""
        nodes = list(self.workflow["nodes"])
        indegree = {node_id: 0 for node_id in nodes}
        for edge in self.workflow["edges"]:
            indegree[edge["target"]] += 1
        ready = [node_id for node_id in nodes if indegree[node_id] == 0]
        order: List[str] = []
        while ready:
            node_id = ready.pop(0)
            order.append(node_id)
            for edge in self.workflow["edges"]:
                if edge["source"] == node_id:
                    indegree[edge["target"]] -= 1
                    if indegree[edge["target"]] == 0:
                        ready.append(edge["target"])
        return order

    async def execute(self, initial_inputs: Dict[str, Any], execution_id: Optional[str] = None) -> dict:
        execution_id = execution_id or str(uuid.uuid4())
        wid = self.workflow_id
        order = self.execution_order()
        results: Dict[str, Any] = {"initial_inputs": initial_inputs}
        errors: List[dict] = []
        started = time.perf_counter()

        await self._send(WebSocketHandler.create_workflow_start_message(wid, execution_id, order))
        await self._send(WebSocketHandler.create_log_message(wid, execution_id, "info", f"Workflow {wid} started"))

        for step, node_id in enumerate(order, start=1):
            await self._send(WebSocketHandler.create_node_status_message(wid, execution_id, node_id, "running"))
            await self._send(WebSocketHandler.create_log_message(wid, execution_id, "info", f"Running node {node_id}"))
            await asyncio.sleep(NODE_DELAY_SECONDS)
            try:
                result = self.workflow["nodes"][node_id](results)
            except Exception as exc:
                # A failing node stops the execution.
                message = str(exc)
                errors.append({"node_id": node_id, "error": message})
                await self._send(
                    WebSocketHandler.create_node_status_message(wid, execution_id, node_id, "error", error=message)
                )
                await self._send(WebSocketHandler.create_error_message(wid, execution_id, message, node_id=node_id))
                await self._send(
                    WebSocketHandler.create_log_message(wid, execution_id, "error", f"Node {node_id} failed: {message}")
                )
                break
            results[node_id] = result
            await self._send(
                WebSocketHandler.create_node_status_message(wid, execution_id, node_id, "completed", result=result)
            )
            for edge in self.workflow["edges"]:
                if edge["source"] == node_id:
                    await self._send(
                        WebSocketHandler.create_edge_flow_message(
                            wid, execution_id, node_id, edge["target"], edge_id=edge["id"], data=result
                        )
                    )
            await self._send(WebSocketHandler.create_progress_message(wid, execution_id, step, len(order), node_id))

        execution_time = time.perf_counter() - started
        success = not errors
        level = "info" if success else "warning"
        await self._send(
            WebSocketHandler.create_log_message(wid, execution_id, level, f"Workflow {wid} finished in {execution_time:.2f} s")
        )
        await self._send(
            WebSocketHandler.create_workflow_complete_message(wid, execution_id, success, execution_time, errors)
        )
        return {"execution_id": execution_id, "success": success, "results": results, "errors": errors}


# --- the FastAPI app ----------------------------------------------------------------

app = FastAPI(title="seed backend")

# Running executions; an engine is dropped when its execution finishes.
_running: Set["asyncio.Task[dict]"] = set()


class ExecuteRequest(BaseModel):
    initial_inputs: Dict[str, Any] = {}


@app.get("/api/workflows")
async def list_workflows() -> List[str]:
    return list(SAMPLE_WORKFLOWS)


@app.post("/api/workflows/{workflow_id}/execute")
async def execute_workflow(workflow_id: str, request: ExecuteRequest) -> dict:
    if workflow_id not in SAMPLE_WORKFLOWS:
        raise HTTPException(status_code=404, detail=f"unknown workflow {workflow_id}")
    engine = WorkflowEngine(workflow_id=workflow_id, enable_websocket=True)
    execution_id = str(uuid.uuid4())
    task = asyncio.create_task(engine.execute(request.initial_inputs, execution_id))
    _running.add(task)
    task.add_done_callback(_running.discard)
    return {"execution_id": execution_id, "workflow_id": workflow_id, "status": "started"}


@app.websocket("/api/ws/workflow/{workflow_id}")
async def workflow_websocket(websocket: WebSocket, workflow_id: str) -> None:
    await ws_manager.connect(websocket, workflow_id)
    try:
        while True:
            text = await websocket.receive_text()
            if text == "ping":
                await ws_manager.send_personal_message({"type": "pong", "workflow_id": workflow_id}, websocket)
            # Anything else a client sends is ignored.
    except WebSocketDisconnect:
        ws_manager.disconnect(websocket, workflow_id)
