from collections import OrderedDict

from . import functional  # noqa: F401


class Parameter:
    def __init__(self, data, requires_grad=True):
        self.data = data
        self.requires_grad = requires_grad


class Module:
    def __init__(self):
        object.__setattr__(self, "_tensors", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())

    def register_parameter(self, name, p):
        self._tensors[name] = p.data

    def register_buffer(self, name, t):
        self._tensors[name] = t

    def add_module(self, name, m):
        self._modules[name] = m

    def state_dict_shapes(self, prefix=""):
        for k, t in self._tensors.items():
            yield prefix + k, t.shape, t.dtype
        for k, m in self._modules.items():
            yield from m.state_dict_shapes(prefix + k + ".")
