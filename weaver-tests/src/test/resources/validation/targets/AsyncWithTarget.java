package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.AsyncCloseable;
import dev.weft.runtime.Awaitable;
import dev.weft.runtime.Coroutine;
import java.util.List;

/**
 * try-with-resources over an AsyncCloseable, Python's async with: the close awaited on every path
 * (normal, return, break, continue, failure), aclose(thrown) after the body threw, and a close whose
 * failure holds the body's failure thrown in its place, with several resources, nested blocks, a
 * resource declared before the try, var, a user's own catch-and-close, and a block inside a finally.
 */
public class AsyncWithTarget {
    enum Mode { OK, FAIL, SUPERSEDE, RETHROW }

    /** Thrown by a close that supersedes the body's failure: the failure is its cause. */
    static final class Superseding extends RuntimeException {
        Superseding(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final class Res implements AsyncCloseable {
        final String name;
        final Mode mode;

        Res(String name, Mode mode) {
            this.name = name;
            this.mode = mode;
            System.out.println("open " + name);
        }

        Res(String name) {
            this(name, Mode.OK);
        }

        @Override
        public Awaitable<Void> aclose() {
            return exit(null);
        }

        @Override
        public Awaitable<Void> aclose(Throwable failure) {
            return exit(failure);
        }

        @Override
        public void close() {
            System.out.println("close() of " + name + " was not awaited");
        }

        @Async
        Coroutine<Void> exit(Throwable failure) {
            String after = failure == null ? "" : " after " + failure.getMessage();
            await(later(1));
            System.out.println("aclose " + name + after);
            switch (mode) {
                case FAIL -> throw new IllegalStateException("close " + name + " failed");
                case SUPERSEDE -> throw new Superseding("close " + name + " supersedes" + after, failure);
                case RETHROW -> {
                    if (failure != null) {
                        throw sneaky(failure);
                    }
                }
                default -> {
                }
            }
            return done();
        }
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    static String describe(Throwable t) {
        StringBuilder text = new StringBuilder(t.getClass().getSimpleName() + " " + t.getMessage());
        for (Throwable s : t.getSuppressed()) {
            text.append(", suppressed ").append(s.getMessage());
        }
        if (t.getCause() != null) {
            text.append(", cause ").append(t.getCause().getMessage());
        }
        return text.toString();
    }

    @Async
    static Coroutine<Void> severalResources() {
        try (Res a = new Res("a"); Res b = new Res("b")) {
            System.out.println("body " + await(later(a.name + b.name)));
        }
        return done();
    }

    @Async
    static Coroutine<Void> nested() {
        try (Res outer = new Res("outer")) {
            try (var inner = new Res("inner")) {
                System.out.println("inner body " + await(later(inner.name)));
            }
            System.out.println("between " + outer.name);
        }
        return done();
    }

    @Async
    static Coroutine<Void> declaredBefore() {
        Res r = new Res("before");
        try (r) {
            System.out.println("body " + await(later(1)));
        }
        System.out.println("after " + r.name);
        return done();
    }

    @Async
    static Coroutine<String> returnsFromTheBody() {
        try (Res r = new Res("returning")) {
            return result("returned " + await(later(r.name)));
        }
    }

    @Async
    static Coroutine<Void> breakAndContinue() {
        for (int i = 0; i < 4; i++) {
            try (Res r = new Res("loop " + i)) {
                if (i == 1) {
                    continue;
                }
                if (i == 2) {
                    break;
                }
                System.out.println("loop body " + await(later(i)));
            }
        }
        return done();
    }

    @Async
    static Coroutine<Void> failingBody(Mode mode) {
        try (Res r = new Res("r " + mode, mode)) {
            await(failLater(new IllegalArgumentException("body failed")));
            System.out.println("not reached");
        }
        return done();
    }

    @Async
    static Coroutine<Void> closeFailsOnTheNormalPath() {
        try (Res r = new Res("faulty", Mode.FAIL)) {
            System.out.println("body " + await(later(r.name)));
        }
        System.out.println("not reached");
        return done();
    }

    @Async
    static Coroutine<Void> twoResources(Mode outer, Mode inner) {
        try (Res a = new Res("a", outer); Res b = new Res("b", inner)) {
            await(failLater(new IllegalArgumentException("body failed")));
        }
        return done();
    }

    @Async
    static Coroutine<Void> caughtBetweenNestedBlocks() {
        try (Res outer = new Res("outer")) {
            try {
                try (Res inner = new Res("inner", Mode.SUPERSEDE)) {
                    await(failLater(new IllegalArgumentException("inner body failed")));
                }
            } catch (Superseding e) {
                System.out.println("caught inside outer: " + describe(e));
            }
        }
        return done();
    }

    @Async
    static Coroutine<Void> ownCatchAndClose() {
        Res r = new Res("own", Mode.SUPERSEDE);
        try {
            await(failLater(new IllegalArgumentException("own body failed")));
        } catch (Throwable t) {
            r.close();
            throw t;
        }
        return done();
    }

    @Async
    static Coroutine<Void> insideFinally() {
        try {
            await(failLater(new IllegalArgumentException("try failed")));
        } finally {
            try (Res r = new Res("in finally")) {
                System.out.println("finally body " + await(later(r.name)));
            }
        }
        return done();
    }

    @Async
    static Coroutine<Void> attempt(String name, Coroutine<?> block) {
        System.out.println("-- " + name);
        try {
            await(block);
            System.out.println("completed");
        } catch (Throwable t) {
            System.out.println("threw " + describe(t));
        }
        return done();
    }

    @Async
    public static Coroutine<?> main() {
        await(attempt("several", severalResources()));
        await(attempt("nested", nested()));
        await(attempt("declared before", declaredBefore()));
        System.out.println(await(returnsFromTheBody()));
        await(attempt("break and continue", breakAndContinue()));
        for (Mode mode : List.of(Mode.OK, Mode.FAIL, Mode.SUPERSEDE, Mode.RETHROW)) {
            await(attempt("failing body, close " + mode, failingBody(mode)));
        }
        await(attempt("close fails", closeFailsOnTheNormalPath()));
        await(attempt("inner supersedes", twoResources(Mode.OK, Mode.SUPERSEDE)));
        await(attempt("both supersede", twoResources(Mode.SUPERSEDE, Mode.SUPERSEDE)));
        await(attempt("outer fails after", twoResources(Mode.FAIL, Mode.SUPERSEDE)));
        await(attempt("caught between", caughtBetweenNestedBlocks()));
        await(attempt("own catch", ownCatchAndClose()));
        await(attempt("inside finally", insideFinally()));
        return done();
    }
}
/* Expected output:
-- several
open a
open b
body ab
aclose b
aclose a
completed
-- nested
open outer
open inner
inner body inner
aclose inner
between outer
aclose outer
completed
-- declared before
open before
body 1
aclose before
after before
completed
open returning
aclose returning
returned returning
-- break and continue
open loop 0
loop body 0
aclose loop 0
open loop 1
aclose loop 1
open loop 2
aclose loop 2
completed
-- failing body, close OK
open r OK
aclose r OK after body failed
threw IllegalArgumentException body failed
-- failing body, close FAIL
open r FAIL
aclose r FAIL after body failed
threw IllegalArgumentException body failed, suppressed close r FAIL failed
-- failing body, close SUPERSEDE
open r SUPERSEDE
aclose r SUPERSEDE after body failed
threw Superseding close r SUPERSEDE supersedes after body failed, cause body failed
-- failing body, close RETHROW
open r RETHROW
aclose r RETHROW after body failed
threw IllegalArgumentException body failed
-- close fails
open faulty
body faulty
aclose faulty
threw IllegalStateException close faulty failed
-- inner supersedes
open a
open b
aclose b after body failed
aclose a after close b supersedes after body failed
threw Superseding close b supersedes after body failed, cause body failed
-- both supersede
open a
open b
aclose b after body failed
aclose a after close b supersedes after body failed
threw Superseding close a supersedes after close b supersedes after body failed, cause close b supersedes after body failed
-- outer fails after
open a
open b
aclose b after body failed
aclose a after close b supersedes after body failed
threw Superseding close b supersedes after body failed, suppressed close a failed, cause body failed
-- caught between
open outer
open inner
aclose inner after inner body failed
caught inside outer: Superseding close inner supersedes after inner body failed, cause inner body failed
aclose outer
completed
-- own catch
open own
aclose own after own body failed
threw Superseding close own supersedes after own body failed, cause own body failed
-- inside finally
open in finally
finally body in finally
aclose in finally
threw IllegalArgumentException try failed
*/
