"""Training-step throughput of the nine architectures: ours vs PDEquinox 0.1.2, side by side.

    python benchmarks/bench_architectures.py [--dims 1 2] [--seconds 2] [--only Conv Res]
    python benchmarks/bench_architectures.py --check-outputs

``--check-outputs`` is the fidelity check instead: it copies the reference network's
weights into ours (1D) and compares both outputs on the same input.

One step = forward + backward of an MSE loss on a batch of 20 (1D: N=160; 2D: N=64), jitted,
single channel. The reference networks run in their own virtual environment
(benchmarks/.venvs/pdequinox, pdequinox==0.1.2 and jax==0.10.2; see RESULTS.md), built with
the constructors APEBench 0.1.1 uses for each config string; this script re-runs itself
there with --reference. FLOPs come from XLA's cost analysis of the compiled step; the
machine's matmul rate (a 2048^3 float32 product) is printed for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CONFIGS = [
    "Conv;34;10;relu",
    "Res;26;8;relu",
    "UNet;12;2;relu",
    "Dil;2;32;2;relu",
    "FNO;12;18;4;gelu",
    "MoRes;26;8;relu",
    "MoUNet;12;2;relu",
    "MLP;64;3;relu",
    "Pure;3;identity",
]
GRID = {1: 160, 2: 64}
BATCH = 20
REFERENCE_PYTHON = Path(__file__).parent / ".venvs" / "pdequinox" / "bin" / "python"


def build_ours(config: str, num_spatial_dims: int, num_points: int, key):
    import apebench_core

    return apebench_core.build(
        "architecture",
        config,
        num_spatial_dims=num_spatial_dims,
        num_channels=1,
        num_points=num_points,
        key=key,
    )


def build_reference(config: str, num_spatial_dims: int, num_points: int, key):
    """The PDEquinox constructor APEBench 0.1.1 maps each config onto (MLP with ``depth``:
    APEBench itself passes ``depth_size``, which PDEquinox rejects)."""
    import jax
    import pdequinox as pdeqx

    name, *fields = config.split(";")
    activation = {"relu": jax.nn.relu, "gelu": jax.nn.gelu, "identity": lambda x: x}[fields[-1]]
    numbers = [int(f) for f in fields[:-1]]
    common = dict(num_spatial_dims=num_spatial_dims, in_channels=1, out_channels=1, key=key)
    periodic = dict(common, boundary_mode="periodic", activation=activation)
    if name == "Conv":
        return pdeqx.arch.ConvNet(hidden_channels=numbers[0], depth=numbers[1], **periodic)
    if name == "Res":
        return pdeqx.arch.ClassicResNet(hidden_channels=numbers[0], num_blocks=numbers[1], **periodic)
    if name == "UNet":
        return pdeqx.arch.ClassicUNet(hidden_channels=numbers[0], num_levels=numbers[1], **periodic)
    if name == "Dil":
        rising = [2**i for i in range(numbers[0] + 1)]
        rates = rising + rising[-2::-1]
        return pdeqx.arch.DilatedResNet(
            hidden_channels=numbers[1], num_blocks=numbers[2], dilation_rates=rates, **periodic
        )
    if name == "FNO":
        return pdeqx.arch.ClassicFNO(
            num_modes=numbers[0], hidden_channels=numbers[1], num_blocks=numbers[2], **periodic
        )
    if name == "MoRes":
        return pdeqx.arch.ModernResNet(hidden_channels=numbers[0], num_blocks=numbers[1], **periodic)
    if name == "MoUNet":
        return pdeqx.arch.ModernUNet(hidden_channels=numbers[0], num_levels=numbers[1], **periodic)
    if name == "MLP":
        return pdeqx.arch.MLP(
            num_points=num_points, width_size=numbers[0], depth=numbers[1], activation=activation, **common
        )
    if name == "Pure":
        return pdeqx.conv.PhysicsConv(
            kernel_size=numbers[0], use_bias=False, boundary_mode="periodic", **common
        )
    raise ValueError(config)


def measure(build, config: str, num_spatial_dims: int, seconds: float) -> dict:
    import equinox as eqx
    import jax
    import jax.numpy as jnp

    num_points = GRID[num_spatial_dims]
    net = build(config, num_spatial_dims, num_points, jax.random.PRNGKey(0))
    shape = (BATCH, 1) + (num_points,) * num_spatial_dims
    x = jax.random.normal(jax.random.PRNGKey(1), shape)
    y = jax.random.normal(jax.random.PRNGKey(2), shape)

    def loss(model, x, y):
        return jnp.mean((jax.vmap(model)(x) - y) ** 2)

    params, static = eqx.partition(net, eqx.is_array)

    @jax.jit
    def step(params, x, y):
        return jax.value_and_grad(lambda p: loss(eqx.combine(p, static), x, y))(params)

    start = time.perf_counter()
    compiled = step.lower(params, x, y).compile()
    compile_seconds = time.perf_counter() - start
    cost = compiled.cost_analysis()
    cost = cost[0] if isinstance(cost, list) else cost
    flops = float(cost.get("flops", float("nan")))
    jax.block_until_ready(compiled(params, x, y))
    times = []
    deadline = time.perf_counter() + seconds
    while len(times) < 5 or time.perf_counter() < deadline:
        start = time.perf_counter()
        jax.block_until_ready(compiled(params, x, y))
        times.append(time.perf_counter() - start)
    step_seconds = statistics.median(times)
    return {"step_ms": 1e3 * step_seconds, "flops": flops, "compile_s": compile_seconds, "steps": len(times)}


def matmul_rate(n: int = 2048) -> float:
    import jax

    a = jax.random.normal(jax.random.PRNGKey(0), (n, n))
    product = jax.jit(lambda a, b: a @ b)
    jax.block_until_ready(product(a, a))
    times = []
    for _ in range(5):
        start = time.perf_counter()
        jax.block_until_ready(product(a, a))
        times.append(time.perf_counter() - start)
    return 2 * n**3 / min(times)


def run_all(reference: bool, dims: list[int], only: list[str] | None, seconds: float) -> dict:
    build = build_reference if reference else build_ours
    results = {"matmul_flops_per_s": matmul_rate()}
    for d in dims:
        for config in CONFIGS:
            if only and config.split(";")[0] not in only:
                continue
            results[f"{d}|{config}"] = measure(build, config, d, seconds)
            print(f"  {'reference' if reference else 'ours':>9} {d}D {config:<18} done", file=sys.stderr)
    return results


def dump_reference(path: str) -> None:
    """Reference side of --check-outputs: every 1D network's weights and output on one input."""
    import equinox as eqx
    import jax
    import numpy as np

    x = np.random.default_rng(0).standard_normal((1, GRID[1])).astype(np.float32)
    arrays = {"x": x}
    for config in CONFIGS:
        net = build_reference(config, 1, GRID[1], jax.random.PRNGKey(0))
        leaves = jax.tree_util.tree_leaves(eqx.filter(net, eqx.is_array))
        arrays.update({f"{config}|leaf{i}": np.asarray(leaf) for i, leaf in enumerate(leaves)})
        arrays[f"{config}|output"] = np.asarray(net(x))
    np.savez(path, **arrays)


def _canonical(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The reference stores 1D spectral weights as (1, out, in, modes); ours as (out, in, modes)."""
    return shape[1:] if len(shape) == 4 and shape[0] == 1 else shape


def _reference_order(net) -> tuple:
    """Our sub-modules in the reference's field order. Our U-Net groups each level's
    down/left/up/right together; the reference keeps four lists (all downs, then all
    lefts, ...)."""
    if not hasattr(net, "levels"):
        return (net,)
    levels = net.levels
    return (
        net.lifting,
        *(lv.down for lv in levels),
        *(block for lv in levels for block in lv.left),
        *(lv.up for lv in levels),
        *(block for lv in levels for block in lv.right),
        net.projection,
    )


def check_outputs() -> None:
    """Transplant the reference weights into our networks and compare outputs.

    Leaves are paired by shape, in order of appearance within each shape: this is
    exactly the pairing when both networks hold the same layers in the same order up
    to interleaving of differently shaped leaves, after visiting our U-Net's parts in
    the reference's order (``_reference_order``).
    """
    import tempfile

    import equinox as eqx
    import jax
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "reference.npz")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        subprocess.run([str(REFERENCE_PYTHON), __file__, "--dump", path], check=True, env=env)
        stored = dict(np.load(path))
    x = stored["x"]
    print(f"{'config':<20} {'leaves':>6} {'max |ours - ref|':>16} {'max |ref|':>10}")
    for config in CONFIGS:
        net = build_ours(config, 1, GRID[1], jax.random.PRNGKey(0))
        parts = _reference_order(net)
        params, static = eqx.partition(parts, eqx.is_array)
        ours, treedef = jax.tree_util.tree_flatten(params)
        theirs = [stored[f"{config}|leaf{i}"] for i in range(len(ours)) if f"{config}|leaf{i}" in stored]
        queues: dict[tuple[int, ...], list] = {}
        for leaf in theirs:
            queues.setdefault(_canonical(leaf.shape), []).append(leaf.reshape(_canonical(leaf.shape)))
        try:
            transplanted = [queues[tuple(leaf.shape)].pop(0) for leaf in ours]
            assert not any(queues.values()) and len(theirs) == len(ours)
        except (KeyError, IndexError, AssertionError):
            print(f"{config:<20} {len(ours):>6} {'(no shape pairing)':>16}")
            continue
        new_parts = eqx.combine(jax.tree_util.tree_unflatten(treedef, transplanted), static)
        model = eqx.tree_at(_reference_order, net, new_parts) if len(parts) > 1 else new_parts[0]
        reference_output = stored[f"{config}|output"]
        difference = np.abs(np.asarray(model(x)) - reference_output).max()
        print(f"{config:<20} {len(ours):>6} {difference:>16.2e} {np.abs(reference_output).max():>10.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dims", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--only", nargs="+", help="architecture names, e.g. Conv FNO")
    parser.add_argument("--seconds", type=float, default=2.0, help="timing budget per case")
    parser.add_argument("--check-outputs", action="store_true", help="fidelity check (see above)")
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        dump_reference(args.dump)
        return
    if args.check_outputs:
        check_outputs()
        return
    if args.reference:
        print(json.dumps(run_all(True, args.dims, args.only, args.seconds)))
        return
    if not REFERENCE_PYTHON.exists():
        sys.exit(
            f"missing {REFERENCE_PYTHON}: python -m venv benchmarks/.venvs/pdequinox && "
            "benchmarks/.venvs/pdequinox/bin/pip install pdequinox==0.1.2 jax==0.10.2"
        )
    ours = run_all(False, args.dims, args.only, args.seconds)
    command = [str(REFERENCE_PYTHON), __file__, "--reference", "--seconds", str(args.seconds), "--dims"]
    command += [str(d) for d in args.dims] + (["--only", *args.only] if args.only else [])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    reference = json.loads(
        subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    )

    print(f"batch {BATCH}, forward+backward of an MSE loss, jitted; N = {GRID}")
    print(
        f"matmul rate (2048^3 float32): ours-process {ours['matmul_flops_per_s'] / 1e9:.1f} GFLOP/s, "
        f"reference-process {reference['matmul_flops_per_s'] / 1e9:.1f} GFLOP/s"
    )
    header = (
        f"{'case':<22} {'ours ms':>9} {'ref ms':>9} {'ref/ours':>9} {'ours GFLOP':>10} {'ref GFLOP':>10}"
        f" {'ours GFLOP/s':>12} {'% matmul':>8} {'compile s':>9}"
    )
    print(header)
    for case, mine in ours.items():
        if case == "matmul_flops_per_s":
            continue
        theirs = reference[case]
        d, config = case.split("|")
        rate = mine["flops"] / (mine["step_ms"] / 1e3)
        print(
            f"{d + 'D ' + config:<22} {mine['step_ms']:>9.2f} {theirs['step_ms']:>9.2f}"
            f" {theirs['step_ms'] / mine['step_ms']:>9.2f} {mine['flops'] / 1e9:>10.3f}"
            f" {theirs['flops'] / 1e9:>10.3f} {rate / 1e9:>12.2f}"
            f" {100 * rate / ours['matmul_flops_per_s']:>7.1f}% {mine['compile_s']:>9.1f}"
        )


if __name__ == "__main__":
    main()
