"""bizmodels.compliance as a package: every name it had stays, moved names forward."""

import pytest

import bizmodels.compliance as c
from bizmodels import cli

# every public name bizmodels.compliance defined before it became a package
FORMER_NAMES = """
    Assessable Assessment CRIMINAL_224_1 CRIMINAL_LEVELS CRIMINAL_PARTICIPANTS
    ComplianceProfile DIRECT_SELLING_CAP DISCLAIMER DS_14 DS_24 EarningsStats Finding
    HEALTH_LINES HealthSeverity INDICATORS Indicator LEGAL_TEXTS LegalBasis LegalSeverity Level
    Measure NEUTRAL_PROFILE NetworkShape OPINION_1 OPINION_5 OPINION_7 REG_7_1 REG_7_2 REG_7_3
    Severity TEAM_PAY_HIGH_LEVELS TEAM_PAY_WARNING_LEVELS Unit WECHAT_2016 assess
    assessment_markdown earnings_stats levels_table network_shape plan_profile profile_of
    random_network recruitment_dependence risk_level
""".split()


def test_every_former_name_is_there_and_exported():
    assert [n for n in FORMER_NAMES if not hasattr(c, n)] == []
    # the legal texts by name are importable; __all__ lists them once, as LEGAL_TEXTS
    texts = {b for b in FORMER_NAMES if isinstance(getattr(c, b), c.LegalBasis)}
    assert {getattr(c, b) for b in texts} == set(c.LEGAL_TEXTS)
    assert sorted(c.__all__) == sorted({*FORMER_NAMES, "DISCLAIMER_ZH"} - texts)


@pytest.mark.parametrize("name", ["assess_command", "AssessError"])
def test_the_command_line_names_forward_to_the_cli_with_a_warning(name):
    with pytest.warns(DeprecationWarning, match=f"moved to bizmodels.cli.{name}"):
        assert getattr(c, name) is getattr(cli, name)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        c.nope  # noqa: B018
