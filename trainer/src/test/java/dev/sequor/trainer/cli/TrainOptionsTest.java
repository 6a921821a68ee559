package dev.sequor.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The operator passes a model's hyperParameters as "--key value" pairs, so every switch must also
 * take an explicit true or false; written alone it still means true.
 */
class TrainOptionsTest {

    @Test
    void switchesTakeAnExplicitValueAsTheOperatorWritesThem() {
        TrainOptions o = TrainOptions.parse(new String[] {"--synthetic", "--bert4rec", "true", "--length-buckets", "true",
            "--pre-ln", "false", "--epochs", "3"});
        assertThat(o.model().bidirectional()).isTrue();
        assertThat(o.training().lengthBuckets()).isTrue();
        assertThat(o.model().preLayerNorm()).isFalse();
        assertThat(o.training().epochs()).isEqualTo(3);

        TrainOptions alone = TrainOptions.parse(new String[] {"--synthetic", "--events", "--pre-ln", "--epochs", "3"});
        assertThat(alone.readEvents()).isTrue();
        assertThat(alone.model().preLayerNorm()).isTrue();
        assertThat(alone.model().bidirectional()).isFalse();
        assertThat(TrainOptions.parse(new String[] {"--synthetic", "--events", "false"}).readEvents()).isFalse();
    }
}
