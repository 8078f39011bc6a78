"""One experiment: plan (validated), scenario (data protocol), pipeline (data -> network ->
task -> methodology -> training -> evaluation -> table). Imports JAX only when used."""
