#!/usr/bin/python3
"""Writes h5/*.h5: keras-js's Keras 2.0 GRU and Bidirectional test cases as Keras 2 whole-model files.

The container is written here with h5py, NOT by Keras (neither Keras nor TensorFlow is installed where
this ran). It replicates the layout of the real tf.keras 2.12 `model.save` file
../herziox-tf2.12-lstm-dense/lstm.h5: root attributes keras_version, backend, model_config (a Sequential
with an InputLayer) and training_config; a model_weights group with layer_names, backend, keras_version;
one group per layer with weight_names, datasets at <layer>/<weight name>; an empty
top_level_model_weights group. The weight names are those tf.keras 2.x gives (gru/gru_cell/kernel:0,
bidirectional/forward_lstm/lstm_cell_1/kernel:0, ...). The arrays are keras-js's weights (float32), so
the expected outputs in recurrent/GRU.json and wrappers/Bidirectional.json are Keras's own.

Run from this directory: /usr/bin/python3 make_h5.py  (h5py 3.7, numpy)
"""
import json

import h5py
import numpy as np

GLOROT = {"class_name": "GlorotUniform", "config": {"seed": None}}
ORTHO = {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": None}}
ZEROS = {"class_name": "Zeros", "config": {}}


def rnn_config(cls, name, units, activation, recurrent_activation, return_sequences, go_backwards):
    c = {"name": name, "trainable": True, "dtype": "float32", "return_sequences": return_sequences,
         "return_state": False, "go_backwards": go_backwards, "stateful": False, "unroll": False,
         "time_major": False, "units": units, "activation": activation,
         "recurrent_activation": recurrent_activation, "use_bias": True, "kernel_initializer": GLOROT,
         "recurrent_initializer": ORTHO, "bias_initializer": ZEROS}
    if cls == "LSTM":
        c["unit_forget_bias"] = True
    c.update({"kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
              "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
              "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2})
    if cls == "GRU":
        c["reset_after"] = False  # Keras 2.0 had no reset_after: its GRU is reset_after=False
    return c


def write(path, timesteps, features, layer_config, layer_name, weight_names, arrays):
    shape = [None, timesteps, features]
    layer_config["config"]["batch_input_shape"] = shape
    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": shape, "dtype": "float32",
                                                "sparse": False, "ragged": False,
                                                "name": layer_name + "_input"}},
        layer_config]}}
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.12.0"
        f.attrs["model_config"] = json.dumps(model_config)
        f.attrs["training_config"] = json.dumps({"loss": "mean_squared_error", "metrics": None,
                                                 "weighted_metrics": None, "loss_weights": None})
        g = f.create_group("model_weights")
        g.attrs["backend"] = "tensorflow"
        g.attrs["keras_version"] = "2.12.0"
        g.attrs["layer_names"] = np.array([layer_name], dtype=object)
        lg = g.create_group(layer_name)
        lg.attrs["weight_names"] = np.array(weight_names, dtype=object)
        for n, a in zip(weight_names, arrays):
            lg.create_dataset(n, data=np.asarray(a["data"], dtype=np.float32).reshape(a["shape"]))
        g.create_group("top_level_model_weights").attrs["weight_names"] = np.array([], dtype=np.float64)


def names(prefix):
    return [prefix + "kernel:0", prefix + "recurrent_kernel:0", prefix + "bias:0"]


gru = json.load(open("recurrent/GRU.json"))
# (units, activation, recurrent_activation, return_sequences, go_backwards), from keras-js's GRU notebook
GRU_CASES = {0: (4, "tanh", "hard_sigmoid", False, False), 1: (5, "sigmoid", "sigmoid", False, False),
             2: (4, "tanh", "hard_sigmoid", True, False), 3: (4, "tanh", "hard_sigmoid", False, True),
             4: (4, "tanh", "hard_sigmoid", True, True)}
for k, (units, act, rec, seq, back) in GRU_CASES.items():
    case = gru["recurrent.GRU.%d" % k]
    t, f = case["input"]["shape"]
    cfg = {"class_name": "GRU", "config": rnn_config("GRU", "gru", units, act, rec, seq, back)}
    write("h5/gru_%d.h5" % k, t, f, cfg, "gru", names("gru/gru_cell/"), case["weights"])

bidi = json.load(open("wrappers/Bidirectional.json"))
for k, cls in ((5, "GRU"), (6, "LSTM")):
    case = bidi["wrappers.Bidirectional.%d" % k]
    t, f = case["input"]["shape"]
    inner = cls.lower()
    cfg = {"class_name": "Bidirectional", "config": {
        "name": "bidirectional", "trainable": True, "dtype": "float32",
        "layer": {"class_name": cls, "config": rnn_config(cls, inner, 4, "tanh", "hard_sigmoid", True, False)},
        "merge_mode": "concat"}}
    wn = names("bidirectional/forward_%s/%s_cell_1/" % (inner, inner)) \
        + names("bidirectional/backward_%s/%s_cell_2/" % (inner, inner))
    write("h5/bidirectional_%d.h5" % k, t, f, cfg, "bidirectional", wn, case["weights"])
