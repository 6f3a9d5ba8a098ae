def log = new File(basedir, 'build.log').text
// the error is on the line of the attribute that is wrong (line 6: "units = 0,")
assert log =~ /Forecaster\.java:\[6,\d+\] @Lstm units must be at least 1, found 0/
assert !new File(basedir, 'target/generated-sources/annotations/it/bad/UnrolledForecaster.java').exists()
