package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.io.IOException;

/** Checked exceptions thrown by an @Async method that declares them, and delivered through await unwrapped (caught as Exception). */
public class CheckedExceptionTarget {
    @Async
    static Coroutine<String> readConfig(String name) throws IOException {
        await(sleep(0.01));
        if (name.isEmpty()) {
            throw new IOException("no name");
        }
        return result("config " + name);
    }

    @Async
    public static Coroutine<?> main() {
        try {
            System.out.println(await(readConfig("app")));
            await(readConfig(""));
            System.out.println("not reached");
        } catch (IOException e) {
            System.out.println("io " + e.getMessage());
        }
        try {
            await(failLater(new IOException("from future")));
        } catch (Exception e) {
            System.out.println(e.getClass().getSimpleName() + " " + e.getMessage());
        }
        try {
            await(failLater(new Exception("plain checked")));
        } catch (RuntimeException e) {
            System.out.println("wrong");
        } catch (Exception e) {
            System.out.println("checked " + e.getMessage());
        }
        return done();
    }
}
/* Expected output:
config app
io no name
IOException from future
checked plain checked
*/
