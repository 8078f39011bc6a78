"""The worked example of README's "Benchmark a model from another framework" runs (tiny sizes)."""

import importlib.util
from pathlib import Path

import numpy as np

EXAMPLE = Path(__file__).parents[2] / "examples" / "foreign-model" / "benchmark_foreign_model.py"


def test_worked_example_scores_a_numpy_model_next_to_a_conv(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("benchmark_foreign_model", EXAMPLE)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    table = example.main(tmp_path, example.TINY, conv_steps=6, num_seeds=2)
    assert list(table.columns) == ["Conv;16;4;relu", "NumPy stencil"]
    assert list(table.index) == [1, 2, 3, 4, 5]
    assert np.isfinite(table.to_numpy()).all()
    assert table["NumPy stencil"].max() < 1e-3  # the stencil reaches the 4-cell shift: nearly exact
    assert (tmp_path / "stencil.npy").is_file() and (tmp_path / "data" / "test").is_dir()
    assert "initial state not included" in capsys.readouterr().out
