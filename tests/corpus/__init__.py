"""The calibration corpus: real published answers and a coach's verdicts on them."""
