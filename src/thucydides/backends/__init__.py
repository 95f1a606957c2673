"""Back ends that run the pipeline's library functions somewhere other than one local process.

`thucydides.backends.spark`: Apache Spark (PySpark, an optional dependency imported only there).
"""
