"""A stand-in for torch with just what a twin's build() touches (no torch can be installed on the CI
machine): tensors are their shapes and dtypes, so the tree's state_dict names and shapes can be listed."""
from . import nn

float16 = "fp16"
float32 = "fp32"
bfloat16 = "bf16"
int64 = "int64"
Tensor = object


class _Empty:
    def __init__(self, shape, dtype):
        self.shape = list(shape)
        self.dtype = dtype


def empty(shape, dtype=None, device=None):
    return _Empty(shape, dtype)
