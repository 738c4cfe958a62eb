# SPDX-License-Identifier: MIT
# Third-party libraries, all from Debian packages (DESIGN.md §9).
find_package(PkgConfig REQUIRED)
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED) # audit verify reads on two threads
pkg_check_modules(SQLITE3  REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(JANSSON  REQUIRED IMPORTED_TARGET jansson)
pkg_check_modules(SODIUM   REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(GSL      REQUIRED IMPORTED_TARGET gsl)
# myoreg serve: the HTTP server (libmicrohttpd-dev).
pkg_check_modules(MHD      REQUIRED IMPORTED_TARGET libmicrohttpd)
# Figures (plot module): cairo draws PNG, SVG and PDF; pango lays out text.
pkg_check_modules(CAIRO      REQUIRED IMPORTED_TARGET cairo)
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo)

# Debian's libcsv ships no pkg-config file.
find_path(LIBCSV_INCLUDE_DIR csv.h REQUIRED)
find_library(LIBCSV_LIBRARY csv REQUIRED)
add_library(myo_libcsv INTERFACE)
target_include_directories(myo_libcsv INTERFACE ${LIBCSV_INCLUDE_DIR})
target_link_libraries(myo_libcsv INTERFACE ${LIBCSV_LIBRARY})

find_library(MATH_LIBRARY m REQUIRED)
# XLSX export and reports (libxlsxwriter-dev ships a pkg-config file).
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
# XLSX import: the ZIP container (libzip-dev) and its XML parts
# (libexpat1-dev).
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(EXPAT  REQUIRED IMPORTED_TARGET expat)
# PostgreSQL backend (libpq-dev): built when libpq is found, unless
# -DMYO_POSTGRES=OFF; a machine without libpq still builds, SQLite only.
pkg_check_modules(LIBPQ IMPORTED_TARGET libpq)
if(LIBPQ_FOUND)
    option(MYO_POSTGRES "Build the PostgreSQL backend (libpq)" ON)
else()
    option(MYO_POSTGRES "Build the PostgreSQL backend (libpq)" OFF)
    if(MYO_POSTGRES)
        message(FATAL_ERROR "MYO_POSTGRES is ON but libpq was not found")
    endif()
endif()
