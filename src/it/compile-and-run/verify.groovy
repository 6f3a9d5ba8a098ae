def log = new File(basedir, 'build.log').text
assert log.contains('IT OK: UnrolledForecaster 4608 params, output (2, 32)')
assert log.contains('Total params: 4,608')
assert new File(basedir, 'target/generated-sources/annotations/it/app/UnrolledForecaster.java').isFile()
