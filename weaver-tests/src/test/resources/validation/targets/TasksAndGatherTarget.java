package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import dev.weft.runtime.Task;
import java.util.List;

/** createTask and gather inside an @Async method: tasks run concurrently while the caller is suspended, results keep argument order. */
public class TasksAndGatherTarget {
    @Async
    static Coroutine<String> worker(String name, double seconds) {
        System.out.println(name + " starts");
        await(sleep(seconds));
        System.out.println(name + " ends");
        return result(name + " result");
    }

    @Async
    public static Coroutine<?> main() {
        Task<String> slow = createTask(worker("slow", 0.03));
        Task<String> fast = createTask(worker("fast", 0.01));
        List<?> both = await(gather(slow, fast));
        System.out.println(both);
        List<?> direct = await(gather(worker("a", 0.02), worker("b", 0.01)));
        System.out.println(direct);
        double start = getRunningLoop().time();
        await(gather(worker("p", 0.05), worker("q", 0.05)));
        System.out.println("elapsed " + Math.round((getRunningLoop().time() - start) * 100) + "0 ms");
        return done();
    }
}
/* Expected output:
slow starts
fast starts
fast ends
slow ends
[slow result, fast result]
a starts
b starts
b ends
a ends
[a result, b result]
p starts
q starts
p ends
q ends
elapsed 50 ms
*/
