"""Sphinx extension: TensorFlow's start-up lines stay out of the build log.

The API reference imports ``lstmbook`` (autodoc), which imports TensorFlow,
and TensorFlow's C++ side then prints its start-up notes to the terminal,
e.g.::

    WARNING: All log messages before absl::InitializeLog() is called are
    written to STDERR
    I0000 00:00:... cpu_feature_guard.cc:227] This TensorFlow binary is
    optimized to use available CPU instructions ...
    To enable the following instructions: AVX2 FMA, in other operations, ...

(a GPU build of TensorFlow may add notes about CUDA, cuDNN or TensorRT).
None of it is about the book. Sphinx loads this extension before
autodoc imports anything, so setting TensorFlow's switches here, before its
first import, keeps them out. Only TensorFlow's C++ log is silenced: Sphinx's
warnings, Python warnings and an ``lstmbook`` that fails to import are
reported as before.
"""

import os


def setup(app):
    # 3: no C++ log line at all (info, warnings, errors), whatever the shell
    # asked for: a docs build only reads docstrings. (lstmbook itself sets 2
    # when nothing is set, which still lets C++ errors through, such as a
    # GPU build's failed CUDA probing.)
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    # The chapters' setting (see their Setup cell); it also drops oneDNN's
    # "custom operations are on" note.
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    return {"parallel_read_safe": True, "parallel_write_safe": True,
            "version": "1.0"}
