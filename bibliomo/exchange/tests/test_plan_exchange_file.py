"""``manage.py plan_exchange --input FILE.json --output PLAN.json``: format and bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bibliomo.exchange.scenario import ScenarioError, parse

SCENARIO = {
    "schools": [
        {"id": "kamen-1", "lat": 53.7925, "lon": 81.3450},
        {"id": "rybnoe", "lat": 53.7550, "lon": 81.4380},
        {"id": "popovo", "lat": 53.6372, "lon": 81.1550},
    ],
    "items": [
        {"school": "kamen-1", "entry": "1.1.1.1.1.1", "surplus": 0, "shortage": 10},
        {"school": "rybnoe", "entry": "1.1.1.1.1.1", "surplus": 6, "shortage": 0},
        {"school": "popovo", "entry": "1.1.1.1.1.1", "surplus": 20, "shortage": 0},
        {"school": "rybnoe", "entry": "1.1.2.1.1.1", "surplus": 0, "shortage": 3},
    ],
    "max_km": None,
}


def write(tmp_path: Path, data, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("plan_exchange", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_plans_a_file_in_the_documented_format(tmp_path):
    source, target = write(tmp_path, SCENARIO), tmp_path / "plan.json"
    out, _ = run("--input", str(source), "--output", str(target))
    plan = json.loads(target.read_text(encoding="utf-8"))
    assert set(plan) == {"transfers", "covered", "uncovered", "copy_km", "shipments"}
    assert plan["transfers"] == [
        {"from": "popovo", "to": "kamen-1", "entry": "1.1.1.1.1.1", "copies": 4, "km": 21.3},
        {"from": "rybnoe", "to": "kamen-1", "entry": "1.1.1.1.1.1", "copies": 6, "km": 7.4},
    ]
    assert (plan["covered"], plan["uncovered"], plan["shipments"]) == (10, 3, 2)
    assert plan["copy_km"] == pytest.approx(4 * 21.3 + 6 * 7.4)
    assert "Покрыто экземпляров: 10, не покрыто: 3" in out


def test_without_output_prints_the_plan(tmp_path):
    out, err = run("--input", str(write(tmp_path, SCENARIO)))
    assert json.loads(out)["covered"] == 10
    assert "не покрыто: 3" in err


def test_options_on_the_command_line(tmp_path):
    source = write(tmp_path, SCENARIO)
    plan = json.loads(run("--input", str(source), "--max-km", "10")[0])
    assert [t["from"] for t in plan["transfers"]] == ["rybnoe"]
    assert (plan["covered"], plan["uncovered"]) == (6, 7)
    plan = json.loads(run("--input", str(source), "--exclude-school", "rybnoe")[0])
    assert [t["from"] for t in plan["transfers"]] == ["popovo"]
    # Рыбное's own shortage is left out of the count along with the school.
    assert (plan["covered"], plan["uncovered"]) == (10, 0)
    plan = json.loads(run("--input", str(source), "--exclude-entry", "1.1.1.1.1.1")[0])
    assert plan["transfers"] == []
    assert plan["uncovered"] == 3


def test_numeric_ids_come_back_as_numbers(tmp_path):
    data = {
        "schools": [{"id": 1, "lat": 53.79, "lon": 81.34}, {"id": 2, "lat": 53.75, "lon": 81.43}],
        "items": [
            {"school": 1, "entry": 77, "surplus": 2, "shortage": 0},
            {"school": 2, "entry": 77, "shortage": 2},
        ],
        "max_km": 50,
    }
    plan = json.loads(run("--input", str(write(tmp_path, data)), "--exclude-school", "3")[0])
    assert plan["transfers"][0] | {"km": 0} == {
        "from": 1,
        "to": 2,
        "entry": 77,
        "copies": 2,
        "km": 0,
    }


BAD = [
    ("{ not json", "строка 1, столбец 3"),
    ("[]", 'объект JSON с полями "schools"'),
    ({"items": []}, 'Поле "schools" должно быть списком'),
    (
        {"schools": [{"id": "a", "lat": 95, "lon": 81}], "items": []},
        'Школа № 1 в "schools": поле "lat"',
    ),
    (
        {"schools": [{"id": "a", "lat": 53, "lon": "81"}], "items": []},
        'поле "lon" должно быть числом',
    ),
    ({"schools": [{"lat": 53, "lon": 81}], "items": []}, 'Школа № 1 в "schools": поле "id"'),
    (
        {"schools": [{"id": "a", "lat": 53, "lon": 81}, {"id": "a", "lat": 53, "lon": 81}]},
        'Школа № 2 в "schools": школа с id "a" уже была выше',
    ),
    (
        {"schools": [{"id": "a", "lat": 53, "lon": 81}], "items": [{"school": "b", "entry": "x"}]},
        'Позиция № 1 в "items": школы с id "b" нет в списке "schools"',
    ),
    (
        {
            "schools": [{"id": "a", "lat": 53, "lon": 81}],
            "items": [
                {"school": "a", "entry": "x", "surplus": 1},
                {"school": "a", "entry": "y", "surplus": "много"},
            ],
        },
        'Позиция № 2 в "items": поле "surplus" должно быть целым неотрицательным числом, '
        'получено "много"',
    ),
    (
        {
            "schools": [{"id": "a", "lat": 53, "lon": 81}],
            "items": [{"school": "a", "entry": "x", "shortage": -1}],
        },
        'поле "shortage" должно быть целым неотрицательным числом, получено -1',
    ),
    (
        {
            "schools": [{"id": "a", "lat": 53, "lon": 81}],
            "items": [{"school": "a", "entry": "x", "shortage": 2.5}],
        },
        'поле "shortage" должно быть целым',
    ),
    (
        {"schools": [{"id": "a", "lat": 53, "lon": 81}], "items": [{"school": "a", "surplus": 1}]},
        'Позиция № 1 в "items": поле "entry"',
    ),
    (
        {
            "schools": [{"id": "a", "lat": 53, "lon": 81}],
            "items": [{"school": "a", "entry": "x", "surplus": 1, "shortage": 1}],
        },
        "не может быть одновременно излишка и недостатка",
    ),
    (
        {
            "schools": [{"id": "a", "lat": 53, "lon": 81}],
            "items": [
                {"school": "a", "entry": "x", "surplus": 1},
                {"school": "a", "entry": "x", "surplus": 2},
            ],
        },
        'Позиция № 2 в "items": школа "a" и учебник "x" уже были выше',
    ),
    ({"schools": [], "items": [], "max_km": -5}, 'Поле "max_km" должно быть положительным'),
    ({"schools": [], "items": "нет"}, 'Поле "items" должно быть списком'),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_file_names_what_is_wrong(tmp_path, data, message):
    source = write(tmp_path, data)
    with pytest.raises(CommandError) as caught:
        run("--input", str(source), "--output", str(tmp_path / "plan.json"))
    assert message in str(caught.value)
    assert str(source) in str(caught.value)
    assert not (tmp_path / "plan.json").exists()


def test_every_error_of_a_file_is_reported_at_once():
    with pytest.raises(ScenarioError) as caught:
        parse(
            {
                "schools": [{"id": "a", "lat": "x", "lon": 81}] + [{"id": "b"}] * 30,
                "items": [{"school": "a", "entry": "x", "surplus": 1}],
            }
        )
    errors = caught.value.errors
    assert errors[0].startswith('Школа № 1 в "schools": поле "lat"')
    assert len(errors) == 21
    assert errors[-1].startswith("… и ещё ошибок:")


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(CommandError, match="не найден"):
        run("--input", str(tmp_path / "nothing.json"))
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"schools": [{"id": "Школа"}]}'.encode("cp1251"))
    with pytest.raises(CommandError, match="кодировке UTF-8"):
        run("--input", str(latin1))
    with pytest.raises(CommandError, match="--input"):
        run()
    with pytest.raises(CommandError, match="Не удалось записать"):
        run("--input", str(write(tmp_path, SCENARIO)), "--output", str(tmp_path / "no" / "p.json"))


def test_bad_file_exits_non_zero_without_traceback(tmp_path):
    source = write(
        tmp_path,
        {"schools": [{"id": "a", "lat": 53, "lon": 81}], "items": [{"school": "z", "entry": "x"}]},
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "plan_exchange", "--input", str(source)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "DEBUG": "1"},
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert 'Позиция № 1 в "items": школы с id "z" нет' in result.stderr
    assert "Traceback" not in result.stderr
