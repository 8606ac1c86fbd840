# -*- Python -*-
# lit configuration for qc's FileCheck tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "QC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qc_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%qc_src_root", config.qc_src_root))
llvm_config.add_tool_substitutions(
    ["qc-opt", "mlir-opt", "mlir-runner", "mlir-translate", "llc"],
    [config.qc_tools_dir, config.llvm_tools_dir],
)
