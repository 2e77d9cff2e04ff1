salespipe_add_fuzz(json DEPS salespipe_io_json)
