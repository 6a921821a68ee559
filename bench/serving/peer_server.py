"""The Python peer for the serving benchmark: FastAPI + uvicorn + onnxruntime serving the same
Sequor model package with the same request shape as Sequor's /v1/recommendations. It runs one
session call per request, the usual way such servers are written. Benchmark-only; not part of
Sequor."""
import json
import os
import sys

import numpy as np
import onnxruntime as ort
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

PACKAGE = os.environ["PEER_MODEL_DIR"]
THREADS = int(os.environ.get("PEER_THREADS", "2"))

with open(os.path.join(PACKAGE, "metadata.json")) as f:
    META = json.load(f)
MAX_LEN = META["maxSequenceLength"]
IDS = [None]
INDEX = {}
with open(os.path.join(PACKAGE, "items.tsv")) as f:
    for line in f:
        if line.strip():
            i, item = line.rstrip("\n").split("\t", 1)
            IDS.append(item)
            INDEX[item] = int(i)

options = ort.SessionOptions()
options.intra_op_num_threads = THREADS
options.inter_op_num_threads = 1
options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
SESSION = ort.InferenceSession(os.path.join(PACKAGE, "model.onnx"), options, providers=["CPUExecutionProvider"])

app = FastAPI()


class Request(BaseModel):
    history: list[str]
    k: int = 10
    exclude: list[str] = []
    excludeHistory: bool = True


@app.post("/v1/recommendations")
def recommend(r: Request):
    known = [INDEX[i] for i in r.history if i in INDEX]
    if not known:
        raise HTTPException(status_code=422, detail="no known items")
    history = np.zeros((1, MAX_LEN), dtype=np.int64)
    window = known[-MAX_LEN:]
    history[0, MAX_LEN - len(window):] = window
    excluded = set(known) if r.excludeHistory else set()
    excluded.update(INDEX[i] for i in r.exclude if i in INDEX)
    exclude = np.array([sorted(excluded) or [0]], dtype=np.int64)
    scores, items = SESSION.run(["scores", "items"], {"history": history, "exclude": exclude,
                                                        "k": np.array([r.k], dtype=np.int64)})
    return {"items": [{"id": IDS[int(i)], "score": float(s)} for s, i in zip(scores[0], items[0])]}


@app.get("/health")
def health():
    return {"ready": True}


if __name__ == "__main__":
    print("use: uvicorn peer_server:app", file=sys.stderr)
