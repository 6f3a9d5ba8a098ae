#!/usr/bin/python3
"""Writes the PyTorch models of this directory: state dicts (*.npz), inputs (*_x.npy) and outputs (*_y.npy).

Run from this directory with Debian's torch: /usr/bin/python3 make_torch.py  (torch 1.13, numpy 1.24).
Each state dict is saved as numpy.savez of its arrays, in state-dict order (the safetensors package is not
installed here; the tests also convert them to .safetensors with Unroll's writer). The outputs are computed
by PyTorch in float64 from the float32 weights and inputs (*_y.npy), and in float32 (*_y32.npy).
"""
import numpy as np
import torch
from torch import nn

torch.manual_seed(20261205)
BATCH, STEPS, FEATURES = 4, 7, 3


class GruLast(nn.Module):
    """nn.GRU(3, 5) -> nn.Linear(5, 2) on the last step."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(FEATURES, 5, batch_first=True)
        self.fc = nn.Linear(5, 2)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out[:, -1, :])


class BiLstmSeq(nn.Module):
    """nn.LSTM(3, 4, bidirectional=True) -> nn.Linear(8, 1) on every step."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(FEATURES, 4, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(8, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out)


class BiGru2(nn.Module):
    """nn.GRU(3, 4, num_layers=2, bidirectional=True) -> nn.Linear(8, 2) on both final states of the top layer."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(FEATURES, 4, num_layers=2, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(torch.cat([h[-2], h[-1]], dim=1))


for name, model in (("gru_linear", GruLast()), ("bilstm_linear", BiLstmSeq()), ("bigru2_linear", BiGru2())):
    model.eval()
    x = (torch.rand(BATCH, STEPS, FEATURES) * 2 - 1).float()
    sd = model.state_dict()
    np.savez(name + ".npz", **{k: v.numpy() for k, v in sd.items()})
    np.save(name + "_x.npy", x.numpy())
    with torch.no_grad():
        np.save(name + "_y32.npy", model(x).numpy())
        np.save(name + "_y.npy", model.double()(x.double()).numpy())
    print(name, [(k, tuple(v.shape)) for k, v in sd.items()])
