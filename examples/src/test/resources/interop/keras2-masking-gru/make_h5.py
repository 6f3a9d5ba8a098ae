#!/usr/bin/python3
"""Writes *.h5 (Keras 2 whole-model files with a Masking layer before a GRU) and their expected outputs.

The container is written here with h5py, NOT by Keras (neither Keras nor TensorFlow is installed where this
ran), in the layout of ../kerasjs-keras2.0-recurrent/make_h5.py (that of a real tf.keras 2.12 model.save
file): root attributes keras_version, backend, model_config, training_config; model_weights with
layer_names; one group per layer with weight_names (empty for Masking) and datasets.

Weights are drawn from U(-0.5, 0.5) and inputs from U(-1, 1) with numpy.random.default_rng(SEED), stored as
float32; the masked steps of x are then set to the mask value. The expected outputs (*_y.npy, float64) are
computed here from the float32 values by a plain numpy implementation of Keras's equations with masks
(the Masking rules of the golden vectors' README, golden/layers/README.md: at a masked step a GRU keeps h; a plain layer
outputs the carried h, a Bidirectional one that returns sequences outputs 0 there; the backward copy skips
masked steps too). For the GRU with reset_after=True the numpy GRU is checked against torch's nn.GRU
(float64) run on each sample with its masked steps removed, which is what Keras's masking amounts to for
a layer returning its last output.

Run from this directory: /usr/bin/python3 make_h5.py  (h5py 3.7, numpy 1.24, torch 1.13)
"""
import json

import h5py
import numpy as np
import torch

SEED = 20261205
T, F, B = 6, 3, 5
MASK = 0.0
# which steps of each sample are masked: right padding, left padding, the middle, none, all
MASKED = [[4, 5], [0, 1, 2], [2, 3], [], [0, 1, 2, 3, 4, 5]]

GLOROT = {"class_name": "GlorotUniform", "config": {"seed": None}}
ORTHO = {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": None}}
ZEROS = {"class_name": "Zeros", "config": {}}


def gru_config(name, units, reset_after, return_sequences):
    return {"name": name, "trainable": True, "dtype": "float32", "return_sequences": return_sequences,
            "return_state": False, "go_backwards": False, "stateful": False, "unroll": False,
            "time_major": False, "units": units, "activation": "tanh", "recurrent_activation": "sigmoid",
            "use_bias": True, "kernel_initializer": GLOROT, "recurrent_initializer": ORTHO,
            "bias_initializer": ZEROS, "kernel_regularizer": None, "recurrent_regularizer": None,
            "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
            "recurrent_constraint": None, "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0,
            "implementation": 2, "reset_after": reset_after}


def dense_config(name, units):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "dtype": "float32", "units": units, "activation": "linear",
        "use_bias": True, "kernel_initializer": GLOROT, "bias_initializer": ZEROS, "kernel_regularizer": None,
        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None}}


def write(path, layers):
    """layers: (config, name, [(weight name, float32 array)]), in order; the first is the Masking layer."""
    shape = [None, T, F]
    layers[0][0]["config"]["batch_input_shape"] = shape
    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": shape, "dtype": "float32", "sparse": False,
                                                "ragged": False, "name": "masking_input"}}]
        + [l[0] for l in layers]}}
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.12.0"
        f.attrs["model_config"] = json.dumps(model_config)
        f.attrs["training_config"] = json.dumps({"loss": "mean_squared_error", "metrics": None,
                                                 "weighted_metrics": None, "loss_weights": None})
        g = f.create_group("model_weights")
        g.attrs["backend"] = "tensorflow"
        g.attrs["keras_version"] = "2.12.0"
        g.attrs["layer_names"] = np.array([l[1] for l in layers], dtype=object)
        for _, name, weights in layers:
            lg = g.create_group(name)
            lg.attrs["weight_names"] = np.array([n for n, _ in weights], dtype=object) if weights \
                else np.array([], dtype=np.float64)
            for n, a in weights:
                lg.create_dataset(n, data=a)
        g.create_group("top_level_model_weights").attrs["weight_names"] = np.array([], dtype=np.float64)


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def gru_step(x, h, kernel, rec, bias, units, reset_after):
    """One Keras GRU step, gate blocks z, r, h."""
    u = units
    if reset_after:
        xz = x @ kernel + bias[0]
        hz = h @ rec + bias[1]
        z = sigmoid(xz[:u] + hz[:u])
        r = sigmoid(xz[u:2 * u] + hz[u:2 * u])
        cand = np.tanh(xz[2 * u:] + r * hz[2 * u:])
    else:
        xz = x @ kernel + bias
        z = sigmoid(xz[:u] + h @ rec[:, :u])
        r = sigmoid(xz[u:2 * u] + h @ rec[:, u:2 * u])
        cand = np.tanh(xz[2 * u:] + (r * h) @ rec[:, 2 * u:])
    return z * h + (1 - z) * cand


def gru_masked(xs, mask, kernel, rec, bias, units, reset_after, backwards=False, zero_output=False):
    """One sample (T, F): the outputs (T, U) in input order and the last output."""
    h = np.zeros(units)
    out = np.zeros((T, units))
    order = range(T - 1, -1, -1) if backwards else range(T)
    for t in order:
        if not mask[t]:
            h = gru_step(xs[t], h, kernel, rec, bias, units, reset_after)
            out[t] = h
        else:
            out[t] = 0.0 if zero_output else h
    return out, h


rng = np.random.default_rng(SEED)


def uniform(*shape):
    return rng.uniform(-0.5, 0.5, size=shape).astype(np.float32)


x = rng.uniform(-1, 1, size=(B, T, F)).astype(np.float32)
mask = np.zeros((B, T), dtype=bool)
for b, steps in enumerate(MASKED):
    mask[b, steps] = True
x[mask] = MASK
x64 = x.astype(np.float64)

# 1. Masking(0.0) -> GRU(5, reset_after=True) -> Dense(2)
U = 5
k, rk, bias = uniform(F, 3 * U), uniform(U, 3 * U), uniform(2, 3 * U)
dk, db = uniform(U, 2), uniform(2)
y = np.zeros((B, 2))
for b in range(B):
    _, h = gru_masked(x64[b], mask[b], k.astype(np.float64), rk.astype(np.float64), bias.astype(np.float64), U, True)
    y[b] = h @ dk.astype(np.float64) + db.astype(np.float64)
# the same with torch's nn.GRU on the kept steps only (gate blocks r, z, n; (3U, in) matrices)
gru = torch.nn.GRU(F, U, batch_first=True).double()
blocks = lambda a: np.concatenate([a[..., U:2 * U], a[..., :U], a[..., 2 * U:]], axis=-1)  # z, r, h -> r, z, n
with torch.no_grad():
    gru.weight_ih_l0.copy_(torch.from_numpy(blocks(k.astype(np.float64)).T.copy()))
    gru.weight_hh_l0.copy_(torch.from_numpy(blocks(rk.astype(np.float64)).T.copy()))
    gru.bias_ih_l0.copy_(torch.from_numpy(blocks(bias[0].astype(np.float64))))
    gru.bias_hh_l0.copy_(torch.from_numpy(blocks(bias[1].astype(np.float64))))
    for b in range(B):
        kept = x64[b][~mask[b]]
        h = np.zeros(U) if len(kept) == 0 else gru(torch.from_numpy(kept)[None])[1][0, 0].numpy()
        expected = h @ dk.astype(np.float64) + db.astype(np.float64)
        assert np.max(np.abs(expected - y[b])) < 1e-12, (b, expected, y[b])
masking = ({"class_name": "Masking", "config": {"name": "masking", "trainable": True, "dtype": "float32",
                                                "mask_value": MASK}}, "masking", [])
write("masking_gru.h5", [
    masking,
    ({"class_name": "GRU", "config": gru_config("gru", U, True, False)}, "gru",
     [("gru/gru_cell/kernel:0", k), ("gru/gru_cell/recurrent_kernel:0", rk), ("gru/gru_cell/bias:0", bias)]),
    (dense_config("dense", 2), "dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])])
np.save("masking_gru_x.npy", x)
np.save("masking_gru_y.npy", y)

# 2. Masking(0.0) -> Bidirectional(GRU(3, reset_after=False, return_sequences=True), concat) -> Dense(1) per step
U = 3
fk, frk, fb = uniform(F, 3 * U), uniform(U, 3 * U), uniform(3 * U)
bk, brk, bb = uniform(F, 3 * U), uniform(U, 3 * U), uniform(3 * U)
dk, db = uniform(2 * U, 1), uniform(1)
y = np.zeros((B, T, 1))
f64 = lambda a: a.astype(np.float64)
for b in range(B):
    fwd, _ = gru_masked(x64[b], mask[b], f64(fk), f64(frk), f64(fb), U, False, zero_output=True)
    bwd, _ = gru_masked(x64[b], mask[b], f64(bk), f64(brk), f64(bb), U, False, backwards=True, zero_output=True)
    y[b] = np.concatenate([fwd, bwd], axis=1) @ f64(dk) + f64(db)
bidi = {"class_name": "Bidirectional", "config": {
    "name": "bidirectional", "trainable": True, "dtype": "float32",
    "layer": {"class_name": "GRU", "config": gru_config("gru", U, False, True)}, "merge_mode": "concat"}}
write("masking_bigru.h5", [
    masking,
    (bidi, "bidirectional",
     [("bidirectional/forward_gru/gru_cell_1/kernel:0", fk),
      ("bidirectional/forward_gru/gru_cell_1/recurrent_kernel:0", frk),
      ("bidirectional/forward_gru/gru_cell_1/bias:0", fb),
      ("bidirectional/backward_gru/gru_cell_2/kernel:0", bk),
      ("bidirectional/backward_gru/gru_cell_2/recurrent_kernel:0", brk),
      ("bidirectional/backward_gru/gru_cell_2/bias:0", bb)]),
    ({"class_name": "TimeDistributed", "config": {"name": "time_distributed", "trainable": True,
                                                  "dtype": "float32", "layer": dense_config("dense_1", 1)}},
     "time_distributed", [("time_distributed/kernel:0", dk), ("time_distributed/bias:0", db)])])
np.save("masking_bigru_x.npy", x)
np.save("masking_bigru_y.npy", y)
print("wrote masking_gru.h5, masking_bigru.h5 and their x, y")
