"""Write chapters/appendix/template-gallery.md: every framing x architecture.

Usage: python scripts/make_gallery.py

The gallery is generated so that its 36 templates stay consistent with each
other; tests/test_template_gallery.py checks that the committed page is what
this script writes and runs every template in it.
"""

from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "chapters" / "appendix" / \
    "template-gallery.md"

TABLE = """\
in1 = np.arange(10, 100, 10)                  # 10, 20, ..., 90
in2 = in1 + 5                                 # 15, 25, ..., 95
table = np.column_stack([in1, in2, in1 + in2])  # inputs first, output last"""

SERIES = "series = np.arange(10, 100, 10)  # 10, 20, ..., 90"


def new_inputs(first, stop):
    """Code for one window of the two input series, rows first..stop-1."""
    rows = ", ".join(f"[{10 * k}, {10 * k + 5}]" for k in range(first, stop))
    return f"np.array([[{rows}]])"

# framing key -> (title, explanation, code that defines X, y, x_input for a
# given n_steps_in, and what the forecast should be close to)
FRAMINGS = {
    "univariate": (
        "Univariate, one step",
        "One series; forecast the value after the window.",
        lambda n: f"""{SERIES}
X, y = lb.split_sequence(series, n_steps_in={n})
X = X.reshape((*X.shape, 1))              # add the features axis
x_input = series[-{n}:].reshape((1, {n}, 1))  # the last window""",
        "100",
    ),
    "multiple-input": (
        "Multiple input series, one step",
        "Two inputs explain an output measured at the same time; the target "
        "is the output at the window's last step.",
        lambda n: f"""{TABLE}
X, y = lb.split_sequences(table, n_steps_in={n})
x_input = {new_inputs(11 - n, 11)}""",
        "205",
    ),
    "multiple-parallel": (
        "Multiple parallel series, one step",
        "Every column is forecast, one step after the window.",
        lambda n: f"""{TABLE}
X, y = lb.split_parallel_sequences(table, n_steps_in={n})
x_input = table[-{n}:].reshape((1, {n}, 3))  # the last window""",
        "[100, 105, 205]",
    ),
    "univariate-multi-step": (
        "Univariate, multi-step",
        "One series; forecast the next two values at once.",
        lambda n: f"""{SERIES}
X, y = lb.split_sequence(series, n_steps_in={n}, n_steps_out=2)
X = X.reshape((*X.shape, 1))
x_input = series[-{n}:].reshape((1, {n}, 1))""",
        "[100, 110]",
    ),
    "multiple-input-multi-step": (
        "Multiple input series, multi-step",
        "Two inputs; forecast the output at the window's last step and the "
        "step after it.",
        lambda n: f"""{TABLE}
X, y = lb.split_sequences(table, n_steps_in={n}, n_steps_out=2)
x_input = {new_inputs(10 - n, 10)}""",
        "[185, 205]",
    ),
    "multiple-parallel-multi-step": (
        "Multiple parallel series, multi-step",
        "Every column is forecast, two steps after the window.",
        lambda n: f"""{TABLE}
X, y = lb.split_parallel_sequences(table, n_steps_in={n}, n_steps_out=2)
x_input = table[-{n}:].reshape((1, {n}, 3))""",
        "[[100, 105, 205], [110, 115, 225]]",
    ),
}

ONE_STEP = ["univariate", "multiple-input", "multiple-parallel"]
ALL = list(FRAMINGS)

# architecture key -> (tab title, builder, extra arguments, subsequence
# reshape function or None, n_steps_in, framings it makes sense for)
ARCHITECTURES = {
    "vanilla": ("Vanilla", "vanilla_lstm", "", None, 3, ALL),
    "stacked": ("Stacked", "stacked_lstm", "units=(50, 50), ", None, 3, ALL),
    "bidirectional": ("Bidirectional", "bidirectional_lstm", "", None, 3,
                      ALL),
    "cnn-lstm": ("CNN-LSTM", "cnn_lstm", "", "to_subsequences", 4, ALL),
    "convlstm": ("ConvLSTM", "conv_lstm", "", "to_convlstm_input", 4, ALL),
    "vector-output": ("Vector output", "vector_output_lstm", "", None, 3,
                      [f for f in ALL if f not in ONE_STEP]),
    "encoder-decoder": ("Encoder-decoder", "encoder_decoder_lstm", "", None,
                        3, [f for f in ALL if f not in ONE_STEP]),
}


def builder_call(builder, extra):
    """``model = lb.<builder>(...)``, wrapped to stay under 80 columns."""
    head = f"model = lb.{builder}("
    args = ["X.shape[1:], y.shape[1:],", f'{extra}activation="relu")']
    line = head + " ".join(args)
    if len(line) < 80:
        return line
    return head + args[0] + "\n" + " " * len(head) + args[1]


def template(framing, architecture):
    _, _, data, expected = FRAMINGS[framing]
    _, builder, extra, reshape, n_steps_in, _ = ARCHITECTURES[architecture]
    lines = [
        f"# template: {framing} / {architecture}",
        "import numpy as np",
        "",
        "import lstmbook as lb",
        "",
        data(n_steps_in),
    ]
    if reshape:
        lines += [f"X = lb.{reshape}(X, 2)  # 2 subsequences of 2 steps",
                  f"x_input = lb.{reshape}(x_input, 2)"]
    lines += [
        "",
        builder_call(builder, extra),
        "lb.fit(model, X, y, epochs=1000)",
        "yhat = lb.predict(model, x_input)",
        f"print(np.round(yhat, 1))  # close to {expected}",
    ]
    return "\n".join(lines)


def page():
    parts = ["""\
# Template gallery

Every framing of the book with every architecture that makes sense for it,
each as one self-contained block to copy. Pick the section of your framing,
then the tab of the architecture. Each block makes the windows from the toy
data of Parts 2-5, builds the model with the `lstmbook` builder (the model's
input is `X.shape[1:]`, its output `y.shape[1:]`), trains it, and forecasts
from `x_input`. Replace the data with yours and keep the rest.

The vector-output and encoder-decoder models are multi-step designs, so they
appear only in the multi-step sections; the others adapt their dense head to
any target shape. The CNN-LSTM and ConvLSTM templates use windows of 4 steps
so that each splits into 2 subsequences of 2.

Every template here is run by the test suite
(`tests/test_template_gallery.py`), which builds and briefly trains each one
on windows of the right shape, so none of them is broken. The chapters show
each recipe trained to the answer: the toy forecasts come within a few
percent of the values in the comments, and the multi-step chapters explain
why level normalisation makes them exact.
"""]
    for framing, (title, text, _, _) in FRAMINGS.items():
        parts.append(f"## {title}\n\n{text}\n\n::::{{tab-set}}\n")
        for architecture, (tab, *_, framings) in ARCHITECTURES.items():
            if framing not in framings:
                continue
            parts.append(f":::{{tab-item}} {tab}\n```python\n"
                         f"{template(framing, architecture)}\n```\n:::\n")
        parts.append("::::\n")
    return "\n".join(parts)


def combinations():
    """Every (framing, architecture) pair the gallery shows."""
    return [(f, a) for f in FRAMINGS
            for a, spec in ARCHITECTURES.items() if f in spec[-1]]


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(page())
    print(f"wrote {OUT} with {len(combinations())} templates")
