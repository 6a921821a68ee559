package dev.sequor.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionReaderTest {

    @TempDir
    Path dir;

    @Test
    void sasRecFormatKeepsFileOrderPerUser() throws IOException {
        Interactions data = InteractionReader.read(write("a.txt", "1 10\n2 30\n1 20\n1 10\n2 40\n"), DatasetFormat.SASREC);
        assertThat(data.userIds()).containsExactly("1", "2");
        assertThat(externals(data, 0)).containsExactly("10", "20", "10");
        assertThat(externals(data, 1)).containsExactly("30", "40");
        assertThat(data.items().size()).isEqualTo(4);
        assertThat(data.actions()).isEqualTo(5);
    }

    @Test
    void movieLensIsSortedByTimeWithTiesInFileOrder() throws IOException {
        Interactions data = InteractionReader.read(write("u.data",
                "7\t300\t4\t900\n7\t100\t5\t100\n7\t200\t3\t500\n7\t250\t3\t500\n"), DatasetFormat.MOVIELENS);
        assertThat(externals(data, 0)).containsExactly("100", "200", "250", "300");
        assertThat(data.times().get(0)).containsExactly(100, 500, 500, 900);
        assertThat(data.eventTypes()).containsExactly("liked", "rated");
        assertThat(data.events().get(0)).containsExactly(1, 2, 2, 1);
    }

    @Test
    void csvWithHeaderAndEventColumnIsReadInAnyColumnOrder() throws IOException {
        Interactions data = InteractionReader.read(write("e.csv",
                "timestamp,event,item,user\n30,click,b,u1\n10,view,a,u1\n20,view,c,u1\n"), DatasetFormat.CSV);
        assertThat(externals(data, 0)).containsExactly("a", "c", "b");
        assertThat(data.times().get(0)).containsExactly(10, 20, 30);
        assertThat(data.eventTypes()).containsExactly("view", "click");
        assertThat(data.events().get(0)).containsExactly(1, 1, 2);
    }

    @Test
    void theSasRecFormatHasOrderButNoTime() throws IOException {
        Interactions data = InteractionReader.read(write("a.txt", "1 10\n1 20\n"), DatasetFormat.SASREC);
        assertThat(data.hasTimes()).isFalse();
    }

    @Test
    void emptyEventTypeIsReportedWithItsNumber() throws IOException {
        Path file = write("e.csv", "user,item,timestamp,event\nu,a,1,view\nu,b,2, \n");
        assertThatThrownBy(() -> InteractionReader.read(file, DatasetFormat.CSV))
                .isInstanceOf(DataException.class).hasMessageContaining("line 3: empty event type");
    }

    @Test
    void tsvIsDetectedFromTheHeader() throws IOException {
        Interactions data = InteractionReader.read(write("e.tsv", "user\titem\ttimestamp\nu\tx\t2\nu\ty\t1\n"),
                DatasetFormat.CSV);
        assertThat(externals(data, 0)).containsExactly("y", "x");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> InteractionReader.read(dir.resolve("nope.txt"), DatasetFormat.SASREC))
                .isInstanceOf(DataException.class).hasMessageContaining("data file not found").hasMessageContaining("nope.txt");
    }

    @Test
    void malformedLineIsReportedWithItsNumber() throws IOException {
        Path file = write("bad.txt", "1 10\n1 20\n1 20 30\n");
        assertThatThrownBy(() -> InteractionReader.read(file, DatasetFormat.SASREC))
                .isInstanceOf(DataException.class).hasMessageContaining("line 3").hasMessageContaining("'1 20 30'");
    }

    @Test
    void nonNumericTimestampIsReportedWithItsNumber() throws IOException {
        Path file = write("u.data", "1\t2\t3\t100\n1\t3\t3\tyesterday\n");
        assertThatThrownBy(() -> InteractionReader.read(file, DatasetFormat.MOVIELENS))
                .hasMessageContaining("line 2").hasMessageContaining("timestamp 'yesterday'");
    }

    @Test
    void csvWithoutTheNeededColumnsIsRejected() throws IOException {
        Path file = write("e.csv", "customer,product,time\n1,2,3\n");
        assertThatThrownBy(() -> InteractionReader.read(file, DatasetFormat.CSV))
                .hasMessageContaining("line 1").hasMessageContaining("user, item and timestamp");
    }

    @Test
    void emptyDatasetIsRejected() throws IOException {
        Path file = write("empty.txt", "\n\n");
        assertThatThrownBy(() -> InteractionReader.read(file, DatasetFormat.SASREC)).hasMessageContaining("no interactions");
    }

    @Test
    void unknownFormatListsTheKnownOnes() {
        assertThatThrownBy(() -> DatasetFormat.parse("parquet"))
                .hasMessageContaining("unknown data format 'parquet'").hasMessageContaining("sasrec, movielens, csv");
    }

    @Test
    void userWithOneEventStopsTheSplitUnlessToldOtherwise() throws IOException {
        Interactions data = InteractionReader.read(write("a.txt", "1 10\n1 20\n1 30\n2 10\n"), DatasetFormat.SASREC);
        assertThatThrownBy(() -> LeaveOneOutSplit.of(data))
                .hasMessageContaining("user '2' has 1 action;").hasMessageContaining("--short-users");
        assertThat(LeaveOneOutSplit.of(data, LeaveOneOutSplit.ShortUsers.DROP).trainingSequences()).hasSize(1);
        LeaveOneOutSplit trainOnly = LeaveOneOutSplit.of(data, LeaveOneOutSplit.ShortUsers.TRAIN_ONLY);
        assertThat(trainOnly.users()).isEqualTo(1);
        assertThat(trainOnly.trainingSequences()).hasSize(2);
    }

    @Test
    void leaveOneOutHoldsOutTheLastTwoActions() throws IOException {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(InteractionReader.read(write("a.txt",
                "u 1\nu 2\nu 3\nu 4\nu 5\n"), DatasetFormat.SASREC));
        assertThat(split.train(0)).containsExactly(1, 2, 3);
        assertThat(split.validationHistory(0)).containsExactly(1, 2, 3);
        assertThat(split.validationTarget(0)).isEqualTo(4);
        assertThat(split.testHistory(0)).containsExactly(1, 2, 3, 4);
        assertThat(split.testTarget(0)).isEqualTo(5);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static java.util.List<String> externals(Interactions data, int user) {
        return java.util.Arrays.stream(data.sequences().get(user)).mapToObj(data.items()::externalId).toList();
    }
}
