package demo;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

public abstract class Shape {
    @Async
    public abstract Coroutine<Double> area(); // error: @Async on abstract method
}
