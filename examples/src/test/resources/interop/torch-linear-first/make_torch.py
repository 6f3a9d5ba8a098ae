#!/usr/bin/python3
"""Writes the PyTorch models of this directory: state dicts (*.npz), inputs (*_x.npy) and outputs (*_y.npy).

Run from this directory with Debian's torch: /usr/bin/python3 make_torch.py  (torch 1.13, numpy 1.24).
Each model has an nn.Linear before its recurrent module; its state dict lists the modules in the order
__init__ registers them, which is the order forward() calls them. Saved as numpy.savez of the arrays, in
state-dict order (the tests also rewrite them as .safetensors, sorted by name). The outputs are computed by
PyTorch in float64 from the float32 weights and inputs (*_y.npy), and in float32 (*_y32.npy).
"""
import numpy as np
import torch
from torch import nn

torch.manual_seed(20261205)
BATCH, STEPS, FEATURES = 4, 7, 3


class LinearLstmLinear(nn.Module):
    """nn.Linear(3, 6) and tanh on every step -> nn.LSTM(6, 5) -> nn.Linear(5, 2) on the last step."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(FEATURES, 6)
        self.lstm = nn.LSTM(6, 5, batch_first=True)
        self.head = nn.Linear(5, 2)

    def forward(self, x):
        out, _ = self.lstm(torch.tanh(self.embed(x)))
        return self.head(out[:, -1, :])


class SquareLinearLstm(nn.Module):
    """nn.Linear(4, 4) on every step -> nn.LSTM(4, 4) -> nn.Linear(4, 1) on the last step: the shapes chain in
    the recurrent-first order too (LSTM, Linear(4, 4), Linear(4, 1)), so only the file's order tells them apart."""

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 4)
        self.rnn = nn.LSTM(4, 4, batch_first=True)
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        out, _ = self.rnn(self.proj(x))
        return self.out(out[:, -1, :])


for name, model, features in (("linear_lstm_linear", LinearLstmLinear(), FEATURES),
                              ("square_linear_lstm", SquareLinearLstm(), 4)):
    model.eval()
    x = (torch.rand(BATCH, STEPS, features) * 2 - 1).float()
    sd = model.state_dict()
    np.savez(name + ".npz", **{k: v.numpy() for k, v in sd.items()})
    np.save(name + "_x.npy", x.numpy())
    with torch.no_grad():
        np.save(name + "_y32.npy", model(x).numpy())
        np.save(name + "_y.npy", model.double()(x.double()).numpy())
    print(name, [(k, tuple(v.shape)) for k, v in sd.items()])
