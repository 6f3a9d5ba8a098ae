#!/usr/bin/python3
"""Exports the ONNX test models of OnnxFilesTest with Debian's python3-torch (no `onnx` package needed).

    cd examples/src/test/resources/interop/onnx-torch1.13 && /usr/bin/python3 export_onnx.py

For each model NAME it writes, all float32:
  NAME.onnx      torch.onnx.export (TorchScript exporter of torch 1.13, opset 14), input x (B, T, F)
  NAME_x.npy     the input x
  NAME_y.npy     torch's output for x (model.eval(), torch.no_grad())
"""
import numpy as np
import torch

T, F, B = 10, 3, 4


class LastStep(torch.nn.Module):
    """rnn -> out[:, -1, :] (Keras return_sequences=False) -> head."""
    def __init__(self, rnn, head):
        super().__init__(); self.rnn = rnn; self.head = head
    def forward(self, x):
        out, _ = self.rnn(x); return self.head(out[:, -1, :])


class FinalState(torch.nn.Module):
    """lstm -> h_n[-1] (the last layer's final h) -> head."""
    def __init__(self, rnn, head):
        super().__init__(); self.rnn = rnn; self.head = head
    def forward(self, x):
        _, (h, _) = self.rnn(x); return self.head(h[-1])


class Sequences(torch.nn.Module):
    """rnn -> out (B, T, D*U), every step -> head per step (Keras return_sequences=True, Dense per step)."""
    def __init__(self, rnn, head):
        super().__init__(); self.rnn = rnn; self.head = head
    def forward(self, x):
        out, _ = self.rnn(x); return self.head(out)


def models():
    nn = torch.nn
    yield "lstm_dense", LastStep(nn.LSTM(F, 8, batch_first=True), nn.Linear(8, 2))
    yield "lstm_stacked", LastStep(nn.LSTM(F, 8, num_layers=2, batch_first=True),
                                   nn.Sequential(nn.Linear(8, 4), nn.Tanh(), nn.Linear(4, 3), nn.Softmax(dim=-1)))
    yield "lstm_hn_relu", FinalState(nn.LSTM(F, 5, batch_first=True), nn.Sequential(nn.Linear(5, 6), nn.ReLU()))
    yield "bilstm_seq", Sequences(nn.LSTM(F, 6, batch_first=True, bidirectional=True),
                                  nn.Sequential(nn.Linear(12, 2), nn.Sigmoid()))
    yield "gru_dense", LastStep(nn.GRU(F, 8, batch_first=True), nn.Linear(8, 1))
    yield "lstm_seq_first", Sequences(nn.LSTM(F, 4), nn.Linear(4, 2))  # layout (T, B, F): x is fed time-major


def main():
    torch.manual_seed(0); torch.set_num_threads(1)
    for name, m in models():
        m = m.eval()
        time_major = name.endswith("_seq_first")
        x = torch.randn(T, B, F) if time_major else torch.randn(B, T, F)
        torch.onnx.export(m, x, name + ".onnx", input_names=["x"], output_names=["y"], opset_version=14)
        with torch.no_grad():
            y = m(x)
        assert (y != 0).float().mean() > 0.25 and len(np.unique(y.numpy())) > y.numel() // 2, name + ": outputs too uniform to test against"
        np.save(name + "_x.npy", x.numpy().astype(np.float32))
        np.save(name + "_y.npy", y.numpy().astype(np.float32))
        print("exported", name, tuple(x.shape), "->", tuple(y.shape))


if __name__ == "__main__":
    main()
