# Locates libtorch and defines the INTERFACE target `diffbench_torch`.
#
# Explicit include/link flags instead of find_package(Torch): Torch's CMake config of a CUDA build
# insists on a CUDA toolkit (nvcc), which pip-installed GPU machines lack, and it links more than
# the JNI needs. What the config would contribute is derived here:
#  - the C++ ABI flag, read from libc10.so's exported symbols (std::__cxx11 strings => ABI 1);
#    override with -DTORCH_CXX11_ABI=0|1;
#  - CUDA: on when libc10_cuda.so/libtorch_cuda.so sit next to libtorch.so AND CUDA runtime
#    headers are found (pip's nvidia/*/include, CUDA_HOME, /usr/local/cuda); defines
#    DIFFBENCH_WITH_CUDA. Force off with -DDIFFBENCH_CUDA=OFF.
set(LIBTORCH "$ENV{LIBTORCH}" CACHE PATH "libtorch root: include/ and lib/ (libtorch zip, site-packages/torch, /usr)")
option(DIFFBENCH_CUDA "compile the CUDA parts when the libtorch has them" ON)

if(NOT LIBTORCH)
  find_program(PYTHON3 python3)
  if(PYTHON3)
    execute_process(COMMAND ${PYTHON3} -c "import os, torch; print(os.path.dirname(torch.__file__))"
                    OUTPUT_VARIABLE LIBTORCH OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
  if(NOT LIBTORCH)
    message(FATAL_ERROR "diffbench: no libtorch. Fix: pass -DLIBTORCH=<dir with include/ and lib/> "
                        "(or set LIBTORCH), or make `python3 -c 'import torch'` work")
  endif()
endif()
get_filename_component(LIBTORCH "${LIBTORCH}" ABSOLUTE)

# libtorch.so: <root>/lib (zips, pip), <root>/lib/<multiarch> (Debian), <root>/lib64, <root>
file(GLOB _multiarch "${LIBTORCH}/lib/*/libtorch.so")
set(DIFFBENCH_TORCH_LIB_DIR "")
foreach(_candidate "${LIBTORCH}/lib/libtorch.so" ${_multiarch} "${LIBTORCH}/lib64/libtorch.so" "${LIBTORCH}/libtorch.so")
  if(EXISTS "${_candidate}")
    get_filename_component(DIFFBENCH_TORCH_LIB_DIR "${_candidate}" DIRECTORY)
    break()
  endif()
endforeach()
if(NOT DIFFBENCH_TORCH_LIB_DIR)
  message(FATAL_ERROR "diffbench: no libtorch.so under ${LIBTORCH}/lib. Fix: point LIBTORCH at a libtorch folder")
endif()

set(_version_h "${LIBTORCH}/include/torch/csrc/api/include/torch/version.h")
if(NOT EXISTS "${_version_h}")
  message(FATAL_ERROR "diffbench: libtorch headers missing (${_version_h}). Fix: install the headers "
                      "(Debian: apt-get install libtorch-dev; pip wheels ship them in torch/include)")
endif()
# Newer libtorch (2.10+, pytorch#164381) keeps the numbers in torch/headeronly/version.h, which version.h includes.
set(_headeronly_version_h "${LIBTORCH}/include/torch/headeronly/version.h")
if(EXISTS "${_headeronly_version_h}")
  set(_version_h "${_headeronly_version_h}")
endif()
file(STRINGS "${_version_h}" _defs REGEX "#define TORCH_VERSION_(MAJOR|MINOR|PATCH) ")
foreach(_part MAJOR MINOR PATCH)
  string(REGEX REPLACE ".*TORCH_VERSION_${_part} ([0-9]+).*" "\\1" _v_${_part} "${_defs}")
  if(NOT _v_${_part} MATCHES "^[0-9]+$")
    message(FATAL_ERROR "diffbench: no TORCH_VERSION_${_part} in ${_version_h}")
  endif()
endforeach()
set(DIFFBENCH_TORCH_VERSION "${_v_MAJOR}.${_v_MINOR}.${_v_PATCH}")

if(NOT DEFINED TORCH_CXX11_ABI)
  find_program(NM nm REQUIRED)
  execute_process(COMMAND ${NM} -D --defined-only "${DIFFBENCH_TORCH_LIB_DIR}/libc10.so" OUTPUT_VARIABLE _c10_symbols)
  string(FIND "${_c10_symbols}" "__cxx11" _at)
  if(_at EQUAL -1)
    set(TORCH_CXX11_ABI 0)
  else()
    set(TORCH_CXX11_ABI 1)
  endif()
endif()
set(DIFFBENCH_TORCH_CXX11_ABI ${TORCH_CXX11_ABI})

# The C++ standard the headers demand: ATen/ATen.h errors out below it (C++14 up to 2.x, C++20 in
# newer 2.x). The JNI is C++17; consumers are raised to C++20 where the headers need it.
set(DIFFBENCH_TORCH_CXX_STANDARD 17)
file(STRINGS "${LIBTORCH}/include/ATen/ATen.h" _cplusplus_check REGEX "__cplusplus < [0-9]+L")
if(_cplusplus_check MATCHES "__cplusplus < 202002L")
  set(DIFFBENCH_TORCH_CXX_STANDARD 20)
elseif(_cplusplus_check MATCHES "__cplusplus < (20[3-9][0-9][0-9][0-9])L")
  message(FATAL_ERROR "diffbench: ${LIBTORCH}/include/ATen/ATen.h wants a C++ standard newer than C++20 "
                      "(${_cplusplus_check}); teach cmake/DiffbenchTorch.cmake about it")
endif()

add_library(diffbench_torch INTERFACE)
target_compile_features(diffbench_torch INTERFACE cxx_std_${DIFFBENCH_TORCH_CXX_STANDARD})
target_include_directories(diffbench_torch SYSTEM INTERFACE
  "${LIBTORCH}/include" "${LIBTORCH}/include/torch/csrc/api/include")
target_compile_definitions(diffbench_torch INTERFACE _GLIBCXX_USE_CXX11_ABI=${TORCH_CXX11_ABI})
target_link_libraries(diffbench_torch INTERFACE
  "${DIFFBENCH_TORCH_LIB_DIR}/libtorch.so" "${DIFFBENCH_TORCH_LIB_DIR}/libtorch_cpu.so"
  "${DIFFBENCH_TORCH_LIB_DIR}/libc10.so")

set(DIFFBENCH_WITH_CUDA OFF)
if(DIFFBENCH_CUDA AND EXISTS "${DIFFBENCH_TORCH_LIB_DIR}/libc10_cuda.so" AND EXISTS "${DIFFBENCH_TORCH_LIB_DIR}/libtorch_cuda.so")
  # pip wheels keep CUDA headers and libraries in site-packages/nvidia/<component>/{include,lib}
  get_filename_component(_site "${LIBTORCH}/.." ABSOLUTE)
  file(GLOB _nvidia_includes LIST_DIRECTORIES true "${_site}/nvidia/*/include")
  file(GLOB _nvidia_libs LIST_DIRECTORIES true "${_site}/nvidia/*/lib")
  # cuda_runtime.h includes crt/host_config.h, which pip's CUDA 13 runtime package does not ship (it
  # comes with nvcc): a folder counts only when it holds both headers. A toolkit (CUDA_HOME,
  # CUDA_PATH, the nvcc on PATH, /usr/local/cuda) comes before the wheel's nvidia/*/include.
  set(_cuda_homes "$ENV{CUDA_HOME}" "$ENV{CUDA_PATH}")
  find_program(DIFFBENCH_NVCC nvcc)
  if(DIFFBENCH_NVCC)
    get_filename_component(_nvcc_real "${DIFFBENCH_NVCC}" REALPATH)
    get_filename_component(_nvcc_home "${_nvcc_real}/../.." ABSOLUTE)
    list(APPEND _cuda_homes "${_nvcc_home}")
  endif()
  list(APPEND _cuda_homes /usr/local/cuda)
  set(_cuda_include_hints "")
  set(_cuda_lib_hints ${_nvidia_libs})
  foreach(_home ${_cuda_homes})
    if(_home)
      list(APPEND _cuda_include_hints "${_home}/include" "${_home}/targets/x86_64-linux/include")
      list(APPEND _cuda_lib_hints "${_home}/lib64" "${_home}/lib")
    endif()
  endforeach()
  list(APPEND _cuda_include_hints ${_nvidia_includes})
  set(DIFFBENCH_CUDA_RUNTIME_H "")
  foreach(_dir ${_cuda_include_hints})
    if(EXISTS "${_dir}/cuda_runtime_api.h" AND EXISTS "${_dir}/crt/host_config.h")
      set(DIFFBENCH_CUDA_RUNTIME_H "${_dir}")
      break()
    endif()
  endforeach()
  if(NOT DIFFBENCH_CUDA_RUNTIME_H)
    # wheels only: the runtime headers in one nvidia package, crt/ in another (e.g. the nvcc package)
    file(GLOB _crt "${_site}/nvidia/*/include/crt/host_config.h")
    foreach(_dir ${_nvidia_includes})
      if(EXISTS "${_dir}/cuda_runtime_api.h" AND _crt)
        set(DIFFBENCH_CUDA_RUNTIME_H "${_dir}")
        break()
      endif()
    endforeach()
  endif()
  # The cudart libtorch was built against (libc10_cuda.so NEEDs libcudart.so.<major>) comes first;
  # NAMES_PER_DIR: the wheel's own nvidia/*/lib wins over another CUDA's libcudart.so elsewhere.
  file(STRINGS "${DIFFBENCH_TORCH_LIB_DIR}/libc10_cuda.so" _cudart_soname REGEX "^libcudart\\.so\\.[0-9.]+$" LIMIT_COUNT 1)
  find_library(DIFFBENCH_CUDART NAMES ${_cudart_soname} cudart libcudart.so.13 libcudart.so.12 libcudart.so.11.0
               NAMES_PER_DIR HINTS ${_cuda_lib_hints})
  if(_cudart_soname AND DIFFBENCH_CUDART)
    get_filename_component(_cudart_real "${DIFFBENCH_CUDART}" REALPATH)
    get_filename_component(_cudart_real_name "${_cudart_real}" NAME)
    if(NOT _cudart_real_name MATCHES "^${_cudart_soname}")
      message(WARNING "diffbench: libtorch needs ${_cudart_soname} but found ${_cudart_real}; "
                      "set CUDA_HOME to the matching CUDA toolkit")
    endif()
  endif()
  if(DIFFBENCH_CUDA_RUNTIME_H)
    set(DIFFBENCH_WITH_CUDA ON)
    # ATen/cuda headers also reach cuBLAS/cuSPARSE/cuSOLVER headers, possibly in sibling folders
    message(STATUS "diffbench: CUDA runtime headers from ${DIFFBENCH_CUDA_RUNTIME_H}")
    target_include_directories(diffbench_torch SYSTEM INTERFACE "${DIFFBENCH_CUDA_RUNTIME_H}" ${_nvidia_includes})
    target_compile_definitions(diffbench_torch INTERFACE DIFFBENCH_WITH_CUDA)
    target_link_libraries(diffbench_torch INTERFACE
      "${DIFFBENCH_TORCH_LIB_DIR}/libc10_cuda.so" "${DIFFBENCH_TORCH_LIB_DIR}/libtorch_cuda.so")
    if(DIFFBENCH_CUDART)
      target_link_libraries(diffbench_torch INTERFACE "${DIFFBENCH_CUDART}")
    endif()
    # libtorch_cuda is needed at run time (CUDA graphs) even when only reached through headers
    target_link_options(diffbench_torch INTERFACE -Wl,--no-as-needed)
  else()
    message(WARNING "diffbench: this libtorch has CUDA, but no folder with cuda_runtime_api.h and crt/host_config.h "
                    "was found (looked in CUDA_HOME, CUDA_PATH, nvcc's, /usr/local/cuda, site-packages/nvidia/*/include): "
                    "building WITHOUT the CUDA "
                    "extras (memory statistics, memory cap, CUDA graphs, emptyCache). Fix: set CUDA_HOME")
  endif()
endif()

message(STATUS "diffbench: libtorch ${DIFFBENCH_TORCH_VERSION} in ${DIFFBENCH_TORCH_LIB_DIR}, "
               "C++${DIFFBENCH_TORCH_CXX_STANDARD}, C++11 ABI ${TORCH_CXX11_ABI}, CUDA ${DIFFBENCH_WITH_CUDA}")
