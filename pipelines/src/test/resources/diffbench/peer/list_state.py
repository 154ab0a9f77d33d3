"""Loads each twin given (with the torch stub on sys.path) and prints its build()'s state_dict:
one `name shape dtype` line per tensor, a `== file` line before each twin."""
import importlib.util
import sys

for path in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("twin", path)
    twin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(twin)
    print("==", path)
    for name, shape, dtype in twin.build("meta").state_dict_shapes():
        print(name, "x".join(map(str, shape)), dtype)
