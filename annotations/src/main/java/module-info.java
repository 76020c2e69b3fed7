/**
 * The {@link dev.weft.Async} annotation, read by the Weft weaver from class files and by nothing at run
 * time. A module that holds {@code @Async} methods needs this one only to compile:
 * {@code requires static dev.weft.annotations;}.
 */
module dev.weft.annotations {
    exports dev.weft;
}
