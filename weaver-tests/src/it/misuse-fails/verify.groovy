// Build 1 (-Dweft.skip) passed and wove nothing; build 2 (-Dweft.verbose) failed, listing every
// misuse as File.java:line, and left the class files exactly as javac wrote them.
def log = new File(basedir, 'build.log').text
assert log.contains('Weft weave skipped (weft.skip)')

def lineOf = { String file ->
    def lines = new File(basedir, "src/main/java/demo/${file}").readLines()
    lines.findIndexOf { it.contains('// error:') } + 1
}
['AwaitOutside.java', 'NotCoroutine.java', 'Locked.java', 'InLambda.java'].each { file ->
    def expected = "[ERROR] ${file}:${lineOf(file)}: error: demo."
    assert log.contains(expected) : "build.log lacks ${expected}"
}
// An abstract method has no code, so the class file records no line for it.
assert log =~ /\[ERROR\] Shape\.java(:\d+)?: error: demo\.Shape\.area: /
assert log.contains('Weft found 5 errors in @Async code')
assert log.contains('the class files were left as they were')
// Build 2 is verbose: each class file written would have its own "woven demo/X.class" line, and the
// summary line follows the writing; neither may appear when any class has an error.
assert !(log =~ /\[INFO\] woven demo\//) : 'nothing is written when any class has an error'
assert !(log =~ /woven \d+ methods? in/) : 'a failed weave prints no summary of woven methods'

def classes = new File(basedir, 'target/classes/demo')
def names = classes.list().sort()
assert names == ['AwaitOutside.class', 'Good.class', 'InLambda.class', 'Locked.class', 'NotCoroutine.class', 'Shape.class'] : "extra or missing files: ${names}"
names.each { name ->
    def bytes = new File(classes, name).bytes
    assert !new String(bytes, 'ISO-8859-1').contains('Ldev/weft/Woven;') : "${name} was woven"
}
assert !new File(basedir, 'target/weft/weave-state.properties').exists()
return true
