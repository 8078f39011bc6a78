"""The exported HDF5 files follow The Well's published data format.

The check below is written from The Well's format description (its documentation's
"Data format" reference: root attributes, ``dimensions``, ``boundary_conditions``,
``scalars``, ``t0_fields``/``t1_fields``/``t2_fields``), not from its code.
"""

import numpy as np
import pytest

from apebench_core.experiment.external import export

h5py = pytest.importorskip("h5py")


def _texts(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def check_well_layout(path):
    """Raise AssertionError naming the first departure from The Well's layout."""
    with h5py.File(path, "r") as f:
        root = f.attrs
        for name in (
            "dataset_name",
            "grid_type",
            "n_spatial_dims",
            "n_trajectories",
            "simulation_parameters",
        ):
            assert name in root, f"root attribute @{name} missing"
        assert isinstance(root["dataset_name"], str | bytes)
        assert _texts([root["grid_type"]])[0] in ("cartesian", "spherical")
        for param in _texts(root["simulation_parameters"]):
            assert param in root, f"simulation parameter {param} has no root attribute"
        dims, trajectories = int(root["n_spatial_dims"]), int(root["n_trajectories"])

        for group in ("dimensions", "boundary_conditions", "scalars", "t0_fields", "t1_fields", "t2_fields"):
            assert group in f and isinstance(f[group], h5py.Group), f"group {group}/ missing"

        dimensions = f["dimensions"]
        spatial = _texts(dimensions.attrs["spatial_dims"])
        assert len(spatial) == dims, "@spatial_dims must match @n_spatial_dims"
        assert "time" in dimensions and dimensions["time"].ndim == 1
        assert dimensions["time"].dtype == np.float32
        assert "sample_varying" in dimensions["time"].attrs
        num_steps = dimensions["time"].shape[0]
        sizes = []
        for axis in spatial:
            coord = dimensions[axis]
            assert coord.ndim == 1 and coord.dtype == np.float32
            assert coord.attrs["sample_varying"] == False  # noqa: E712 (numpy bools)
            assert coord.attrs["time_varying"] == False  # noqa: E712
            sizes.append(coord.shape[0])

        for name, bc in f["boundary_conditions"].items():
            for attribute in (
                "associated_dims",
                "associated_fields",
                "bc_type",
                "sample_varying",
                "time_varying",
            ):
                assert attribute in bc.attrs, f"boundary condition {name}: @{attribute} missing"
            assert _texts([bc.attrs["bc_type"]])[0] in ("periodic", "wall", "open")
            (axis,) = _texts(bc.attrs["associated_dims"])
            assert axis in spatial
            mask = bc["mask"][()]
            assert mask.dtype == bool and mask.shape == (sizes[spatial.index(axis)],)
            assert bc["values"].dtype == np.float32 and bc["values"].shape == (int(mask.sum()),)

        scalars = f["scalars"]
        for name in _texts(scalars.attrs["field_names"]):
            assert "sample_varying" in scalars[name].attrs and "time_varying" in scalars[name].attrs

        for order, group in enumerate(("t0_fields", "t1_fields", "t2_fields")):
            names = _texts(f[group].attrs["field_names"])
            assert sorted(names) == sorted(f[group].keys()), f"{group}/@field_names must list every dataset"
            for name in names:
                field = f[group][name]
                assert field.dtype == np.float32
                expected = (trajectories, num_steps, *sizes) + (dims,) * order
                assert field.shape == expected, f"{group}/{name}: {field.shape} != {expected}"
                assert list(field.attrs["dim_varying"]) == [True] * dims
                assert field.attrs["sample_varying"] == True  # noqa: E712
                assert field.attrs["time_varying"] == True  # noqa: E712


@pytest.mark.parametrize("scenario,dims,channels", [("diff_adv", 1, ["u"]), ("diff_burgers", 2, ["u", "v"])])
def test_exported_hdf5_passes_the_layout_check(tmp_path, tiny, scenario, dims, channels):
    (path,) = export(
        scenario, split="test", format="hdf5", out=tmp_path / "d.hdf5", num_spatial_dims=dims, **tiny
    )
    check_well_layout(path)
    with h5py.File(path, "r") as f:
        assert _texts(f["t0_fields"].attrs["field_names"]) == channels
        assert f["t0_fields"]["u"].shape == (2, 5) + (16,) * dims
        assert [_texts([bc.attrs["bc_type"]]) for bc in f["boundary_conditions"].values()] == [
            ["periodic"]
        ] * dims
        assert f.attrs["apebench_split"] == "test"


def test_layout_check_catches_departures(tmp_path, tiny):
    (path,) = export("diff_adv", split="test", format="hdf5", out=tmp_path / "d.hdf5", **tiny)
    with h5py.File(path, "a") as f:
        f["t0_fields"].create_dataset("extra", data=np.zeros((2, 5, 16), np.float64))
    with pytest.raises(AssertionError, match="field_names"):
        check_well_layout(path)
