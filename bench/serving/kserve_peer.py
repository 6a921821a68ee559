"""The KServe peer for the serving benchmark: KServe's Python model server (`kserve` from PyPI),
the way a KServe user writes a custom model, with onnxruntime (2 intra-op threads) serving the
same Sequor model package over the Open Inference Protocol, REST (JSON and binary tensors) and
gRPC. One uvicorn worker and no batching: KServe's batcher is a sidecar agent in the cluster, not
part of the model server.

Same model contract as the Triton peer: `history` [1, L] in, `items` and `scores` [1, 10] out, each
row's own history excluded. Benchmark-only; not part of Sequor."""
import json
import os

import numpy as np
import onnxruntime as ort
from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer
from kserve.utils.utils import generate_uuid

PACKAGE = os.environ["PEER_MODEL_DIR"]
THREADS = int(os.environ.get("PEER_THREADS", "2"))
K = np.array([10], dtype=np.int64)


class SequentialRecommender(Model):
    def __init__(self, name: str):
        super().__init__(name)
        self.session = None
        self.load()

    def load(self):
        options = ort.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(os.path.join(PACKAGE, "model.onnx"), options,
                                            providers=["CPUExecutionProvider"])
        self.ready = True
        return self.ready

    def predict(self, payload: InferRequest, headers=None, response_headers=None) -> InferResponse:
        history = payload.inputs[0].as_numpy().astype(np.int64, copy=False)
        scores, items = self.session.run(["scores", "items"], {"history": history, "exclude": history, "k": K})
        outputs = []
        for name, value in (("items", items), ("scores", scores)):
            output = InferOutput(name=name, shape=list(value.shape), datatype="INT64" if name == "items" else "FP32")
            output.set_data_from_numpy(value, binary_data=payload.use_binary_outputs)
            outputs.append(output)
        return InferResponse(model_name=self.name, infer_outputs=outputs, response_id=payload.id or generate_uuid(),
                             use_binary_outputs=payload.use_binary_outputs)


if __name__ == "__main__":
    with open(os.path.join(PACKAGE, "metadata.json")) as f:
        json.load(f)  # fail early on a package that is not one
    ModelServer(http_port=int(os.environ.get("PEER_HTTP_PORT", "18282")),
                grpc_port=int(os.environ.get("PEER_GRPC_PORT", "19292")),
                workers=1).start([SequentialRecommender("amazon")])
