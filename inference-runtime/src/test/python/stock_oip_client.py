"""Calls a Sequor runtime with the stock Open Inference Protocol client (tritonclient), the way a
user would: REST in its default mode (binary tensor data), REST in JSON mode, mixed, and gRPC.
Prints what each call returned as one JSON object; the Java test (StandardClientsIT) judges it.

    python stock_oip_client.py HTTP_HOST:PORT GRPC_HOST:PORT MODEL HEADER USER HISTORY_CSV LENGTH
"""
import json
import sys

import numpy as np
import tritonclient.grpc as grpcclient
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

http_url, grpc_url, model, header, user, history_csv, length = sys.argv[1:8]
# tritonclient adds its own headers (Inference-Header-Content-Length) to the dict it is given: a fresh one per call.
def user_header():
    return {header: user}


history = [int(i) for i in history_csv.split(",")]
row = np.array([[0] * (int(length) - len(history)) + history], dtype=np.int64)
rows = np.concatenate([row, row])  # two rows: the batch dimension is used

results = {}


def record(name, result):
    items, scores = result.as_numpy("items"), result.as_numpy("scores")
    response = result.get_response()
    results[name] = {"items": items.tolist() if items is not None else None,
                     "scores": scores.tolist() if scores is not None else None,
                     "version": response["model_version"] if isinstance(response, dict) else response.model_version}


http = httpclient.InferenceServerClient(http_url)
results["http_metadata"] = http.get_model_metadata(model, headers=user_header())

# 1. REST, every default: binary inputs, no outputs named (so binary_data_output), exclude and k left out.
history_input = httpclient.InferInput("history", list(rows.shape), "INT64")
history_input.set_data_from_numpy(rows)
record("http_default", http.infer(model, [history_input], headers=user_header()))

k = np.array([5], dtype=np.int64)


def all_three(client, **data_options):
    """history, exclude = the history, and k = 5, as the client module's inputs."""
    inputs = [client.InferInput("history", list(rows.shape), "INT64"),
              client.InferInput("exclude", list(rows.shape), "INT64"),
              client.InferInput("k", [1], "INT64")]
    for i, data in zip(inputs, [rows, rows, k]):
        i.set_data_from_numpy(data, **data_options)
    return inputs


# 2. REST, all three inputs in binary, k = 5, exclude = the history.
record("http_binary_k5", http.infer(model, all_three(httpclient), headers=user_header()))

# 3. REST, JSON only: inputs and outputs as JSON data.
inputs = all_three(httpclient, binary_data=False)
outputs = [httpclient.InferRequestedOutput("scores", binary_data=False),
           httpclient.InferRequestedOutput("items", binary_data=False)]
record("http_json_k5", http.infer(model, inputs, outputs=outputs, headers=user_header()))

# 4. REST, mixed: JSON inputs, only "items" asked for, in binary.
record("http_items_only_k5", http.infer(model, inputs, outputs=[httpclient.InferRequestedOutput("items")],
                                        headers=user_header()))

# 5. REST, a malformed tensor: the client's error carries the server's message.
bad = httpclient.InferInput("history", [1, 3], "INT64")
bad.set_data_from_numpy(np.array([[1, 2, 3]], dtype=np.int64))
try:
    http.infer(model, [bad], headers=user_header())
    results["http_bad_shape"] = "accepted"
except InferenceServerException as e:
    results["http_bad_shape"] = e.message()

# 6. gRPC, every default (raw_input_contents), exclude and k left out; then with k = 5.
grpc = grpcclient.InferenceServerClient(grpc_url)
header = header.lower()  # gRPC metadata keys are lower case
g = grpcclient.InferInput("history", list(rows.shape), "INT64")
g.set_data_from_numpy(rows)
record("grpc_default", grpc.infer(model, [g], headers=user_header()))
record("grpc_k5", grpc.infer(model, all_three(grpcclient), headers=user_header()))

print(json.dumps(results))
