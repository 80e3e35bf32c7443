package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabot.benchmark.Comparison.Figure;
import io.wabot.benchmark.Comparison.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

  @Test
  void runsAlternateSoThatNeitherSideAlwaysGoesFirst() {
    assertThat(Comparison.order(1)).containsExactly(Side.REF, Side.CURRENT);
    assertThat(Comparison.order(3)).containsExactly(Side.REF, Side.CURRENT, Side.CURRENT, Side.REF, Side.REF, Side.CURRENT);
  }

  @Test
  void mediansSkipFiguresARunCouldNotGive() {
    assertThat(Comparison.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Comparison.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    assertThat(Comparison.median(List.of(Double.NaN, 5.0))).isEqualTo(5.0);
    assertThat(Comparison.median(List.of())).isNaN();
  }

  @Test
  void ratiosAreCurrentOverRefAndVerdictsFollowTheFiguresDirection() {
    Comparison c = new Comparison();
    c.add(Side.REF, List.of(new Figure("steps/s", 100, true), new Figure("p99", 40, false), new Figure("lost", 0, false),
        new Figure("cpu", 1.0, false), new Figure("twice", 0, false)));
    c.add(Side.CURRENT, List.of(new Figure("steps/s", 150, true), new Figure("p99", 50, false), new Figure("lost", 0, false),
        new Figure("cpu", 1.1, false), new Figure("twice", 2, false)));
    c.add(Side.REF, List.of(new Figure("steps/s", 110, true), new Figure("p99", 44, false), new Figure("lost", 0, false),
        new Figure("cpu", 1.2, false), new Figure("twice", 0, false)));
    c.add(Side.CURRENT, List.of(new Figure("steps/s", 160, true), new Figure("p99", 60, false), new Figure("lost", 0, false),
        new Figure("cpu", 0.9, false), new Figure("twice", 0, false)));

    List<Comparison.Row> rows = c.rows();
    assertThat(rows).extracting(Comparison.Row::name).containsExactly("steps/s", "p99", "lost", "cpu", "twice");
    assertThat(rows.get(0).ratio()).isCloseTo(155.0 / 105.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(rows.get(0).verdict()).isEqualTo("better");
    assertThat(rows.get(1).verdict()).as("a higher latency").isEqualTo("worse");
    assertThat(rows.get(2).ratio()).isEqualTo(1.0);
    assertThat(rows.get(2).verdict()).isEqualTo("same");
    assertThat(rows.get(3).verdict()).as("1.0-1.2 against 0.9-1.1").isEqualTo("within noise");
    assertThat(rows.get(4).ratio()).isInfinite();

    assertThat(c.markdown("main (13af170)", "HEAD (4e5f6a7)")).containsExactly(
        "| figure | main (13af170) | HEAD (4e5f6a7) | current / REF | |",
        "|---|---|---|---|---|",
        "| steps/s | 105 (100 to 110) | 155 (150 to 160) | 1.48 | better |",
        "| p99 | 42 (40 to 44) | 55 (50 to 60) | 1.31 | worse |",
        "| lost | 0 (0 to 0) | 0 (0 to 0) | 1.00 | same |",
        "| cpu | 1.10 (1.00 to 1.20) | 1.00 (0.90 to 1.10) | 0.91 | within noise |",
        "| twice | 0 (0 to 0) | 1 (0 to 2) | ∞ | within noise |");
    assertThat(c.toJson().getJsonObject(0).getDouble("ref_median")).isEqualTo(105.0);
    assertThat(c.toJson().getJsonObject(4).getValue("ratio")).as("JSON has no infinity").isNull();
  }

  @Test
  void oneRunASideCannotTellAChangeFromNoise() {
    Comparison c = new Comparison();
    c.add(Side.REF, List.of(new Figure("p99", 40, false)));
    c.add(Side.CURRENT, List.of(new Figure("p99", 30, false)));
    assertThat(c.rows().get(0).verdict()).isEqualTo("better?");
  }

  @Test
  void numbersKeepAboutThreeDigits() {
    assertThat(Comparison.number(1234.4, false)).isEqualTo("1,234");
    assertThat(Comparison.number(45.06, false)).isEqualTo("45.1");
    assertThat(Comparison.number(0.4149, false)).isEqualTo("0.41");
    assertThat(Comparison.number(2.0, false)).isEqualTo("2.00");
    assertThat(Comparison.number(2.0, true)).isEqualTo("2");
    assertThat(Comparison.spread(List.of(Double.NaN))).isEqualTo("-");
    assertThat(Comparison.spread(List.of(7.0))).isEqualTo("7");
    assertThat(Comparison.spread(List.of(7.25))).isEqualTo("7.25");
    assertThat(Comparison.ratio(Double.NaN)).isEqualTo("-");
  }
}
