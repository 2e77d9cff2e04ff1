salespipe_add_fuzz(csv DEPS salespipe_io_csv)
