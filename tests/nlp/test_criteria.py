from nlp.criteria import category_of, parse_criteria


def test_single_ids_in_every_printed_form():
    assert parse_criteria("CC6.1") == ["CC6.1"]
    assert parse_criteria("CC 6.1") == ["CC6.1"]
    assert parse_criteria("A1.2, C1.1, PI1.3, P4.2") == ["A1.2", "C1.1", "PI1.3", "P4.2"]


def test_ranges_expand_including_across_groups():
    assert parse_criteria("CC6.1 - CC6.3, CC6.6") == ["CC6.1", "CC6.2", "CC6.3", "CC6.6"]
    assert parse_criteria("CC6.1–CC6.3") == ["CC6.1", "CC6.2", "CC6.3"]
    assert parse_criteria("CC6.1-6.3") == ["CC6.1", "CC6.2", "CC6.3"]
    assert parse_criteria("CC6.8 through CC7.2") == ["CC6.8", "CC7.1", "CC7.2"]


def test_soc1_control_objectives():
    assert parse_criteria("CO 3") == ["CO 3"]
    assert parse_criteria("Control Objective 5") == ["CO 5"]
    assert parse_criteria("Control Objectives 1 - 3") == ["CO 1", "CO 2", "CO 3"]


def test_control_ids_and_prose_are_not_criteria():
    assert parse_criteria("CC1.1.2 A formalized whistleblower policy") == []
    assert parse_criteria("Version 2.1 of the policy, section 4") == []


def test_duplicates_dropped_in_printed_order():
    assert parse_criteria("CC7.2; CC6.1; CC7.2") == ["CC7.2", "CC6.1"]


def test_category_of():
    assert category_of("PI1.3") == "processing_integrity"
    assert category_of("CC6.1") == "security"
    assert category_of("CO 3") is None
