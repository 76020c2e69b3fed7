package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.runtime.Aio;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FilesAndChildrenTest {
    @Test
    void theSeedsAiofilesExampleReadsThreeFiles() throws Exception {
        assertEquals(List.of("Contents of file 1", "Contents of file 2", "Contents of file 3"),
                SampleOutput.linesOf(() -> Aio.run(ReadFiles.main())));
    }

    @Test
    void grepAndWcRunAtOnceAndTheirOutputsAreGatheredInOrder() throws Exception {
        assertEquals(List.of(
                "grep -c wait -> exit 0: 2",
                "grep -n loop -> exit 0: 1:the event loop runs one task at a time 3:while it waits, the loop runs another",
                "wc -l -> exit 0: 4",
                "wc -w -> exit 0: 25"), SampleOutput.linesOf(() -> Aio.run(Children.main())));
    }
}
