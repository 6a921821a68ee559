"""The Triton peer for the serving benchmark: NVIDIA's Triton Inference Server (the real
`tritonserver` binary bundled in the PyPI package nvidia-pytriton) serving the same Sequor model
package over the Open Inference Protocol, REST and gRPC, with Triton's dynamic batcher (max batch
32, queue delay 2 ms) in front of onnxruntime (2 intra-op threads) in the bound Python function.

PyTriton runs that function in this Python process, so every batch makes one extra hop (Triton's
Python backend -> this process, over shared memory) that Triton's native ONNX Runtime backend would
not; that backend ships only in NGC containers, which cannot be installed here.

The model takes `history` [L] (item indices, left-padded) per request and answers `items` and
`scores` [10]: the top 10 with each row's own history excluded, as Sequor does when `exclude` and
`k` are left to their defaults. Benchmark-only; not part of Sequor."""
import json
import os

import numpy as np
import onnxruntime as ort
from pytriton.decorators import batch
from pytriton.model_config import DynamicBatcher, ModelConfig, Tensor
from pytriton.triton import Triton, TritonConfig

PACKAGE = os.environ["PEER_MODEL_DIR"]
THREADS = int(os.environ.get("PEER_THREADS", "2"))
K = 10

with open(os.path.join(PACKAGE, "metadata.json")) as f:
    MAX_LEN = json.load(f)["maxSequenceLength"]

options = ort.SessionOptions()
options.intra_op_num_threads = THREADS
options.inter_op_num_threads = 1
options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
SESSION = ort.InferenceSession(os.path.join(PACKAGE, "model.onnx"), options, providers=["CPUExecutionProvider"])
TOP_K = np.array([K], dtype=np.int64)


@batch
def infer(history):
    history = history.astype(np.int64, copy=False)
    # Padding (index 0) is never recommended, so excluding the padded history row as is is exact.
    scores, items = SESSION.run(["scores", "items"], {"history": history, "exclude": history, "k": TOP_K})
    return {"items": items, "scores": scores}


with Triton(config=TritonConfig(http_address="127.0.0.1", grpc_address="127.0.0.1",
                                http_port=int(os.environ.get("PEER_HTTP_PORT", "18282")),
                                grpc_port=int(os.environ.get("PEER_GRPC_PORT", "19292")),
                                metrics_port=int(os.environ.get("PEER_METRICS_PORT", "18383")),
                                log_verbose=0)) as triton:
    triton.bind(
        model_name="amazon",
        infer_func=infer,
        inputs=[Tensor(name="history", dtype=np.int64, shape=(MAX_LEN,))],
        outputs=[Tensor(name="items", dtype=np.int64, shape=(K,)), Tensor(name="scores", dtype=np.float32, shape=(K,))],
        config=ModelConfig(max_batch_size=32, batcher=DynamicBatcher(max_queue_delay_microseconds=2000)),
    )
    triton.serve()
