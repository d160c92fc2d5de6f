"""The whole validate pipeline on generated and mutated projects: `compile_project` never
raises, every diagnostic is catalogued and located, and the answer does not vary."""

from __future__ import annotations

from fuzz_inputs import EXAMPLE, assert_located, generated_projects, mutated_projects
from fuzz_profiles import scaled
from hypothesis import given

from engine.project import CompiledProject, compile_project


def compiled(files: dict[str, bytes]) -> CompiledProject:
    result = compile_project(files)
    assert_located(result.diagnostics, files)
    assert set(result.sources) <= set(files)
    if result.ok:
        assert result.project is not None
        # What passes is what ships: the same files must give the same project again.
        again = compile_project(files)
        assert again.ok
        assert again.project == result.project
        assert again.diagnostics == result.diagnostics
    return result


def test_the_example_compiles_clean() -> None:
    assert compiled(EXAMPLE).diagnostics == []


@scaled(40)
@given(mutated_projects())
def test_mutated_projects(files: dict[str, bytes]) -> None:
    compiled(files)


@scaled(40)
@given(generated_projects())
def test_generated_projects(files: dict[str, bytes]) -> None:
    compiled(files)
