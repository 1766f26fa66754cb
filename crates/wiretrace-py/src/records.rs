//! What a scan reads and what a batch fingerprints, from Python: paths,
//! records (an iterable of dicts, or Arrow: a pyarrow Table, RecordBatch
//! or anything with `__arrow_c_stream__` / `__arrow_c_array__`), and
//! columns of text (a list of str or an Arrow string array).
//!
//! Records become JSON Lines in memory, read by the scan's own reader: a
//! field means what it means in a file (field paths, numeric ids, dates),
//! bad records are skipped or fatal by the same rules, and a skipped
//! record's location is `<records>:N`, N its position from 1. Arrow text
//! is escaped straight from the Arrow buffers into that JSON: it never
//! becomes Python objects.

use arrow_array::cast::AsArray;
use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::{ArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::types::{
    Date32Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type,
    UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{make_array, Array, ArrayRef, StructArray};
use arrow_schema::{DataType, TimeUnit};
use pyo3::exceptions::{PyFileNotFoundError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{
    PyBool, PyCapsule, PyCapsuleMethods, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use std::path::PathBuf;
use wiretrace::ingest::Inputs;
use wiretrace::Config;

/// The name records read from Python are located by in messages.
pub const RECORDS: &str = "<records>";

fn arrow_err(e: arrow_schema::ArrowError) -> PyErr {
    PyValueError::new_err(format!("Arrow input: {e}"))
}

/// The arrays of an Arrow object (a Table or a stream gives one per batch,
/// an array or a RecordBatch one), imported through the C data interface,
/// or `None` when `obj` is not Arrow.
pub fn arrow_arrays(obj: &Bound<'_, PyAny>) -> PyResult<Option<Vec<ArrayRef>>> {
    if obj.hasattr("__arrow_c_stream__")? {
        let capsule = obj.call_method0("__arrow_c_stream__")?;
        let capsule = capsule.cast::<PyCapsule>()?;
        let ptr = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
        // SAFETY: the capsule named `arrow_array_stream` holds an
        // `ArrowArrayStream` (the PyCapsule interface's contract);
        // `from_raw` moves it out and leaves a released stream behind, which
        // the capsule's destructor then leaves alone.
        let stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast()) };
        let reader = ArrayStreamReader::try_new(stream).map_err(arrow_err)?;
        let arrays = reader.collect::<Result<Vec<_>, _>>().map_err(arrow_err)?;
        return Ok(Some(arrays));
    }
    if obj.hasattr("__arrow_c_array__")? {
        let pair = obj.call_method0("__arrow_c_array__")?;
        let pair = pair.cast::<PyTuple>()?;
        let schema = pair.get_item(0)?;
        let schema = schema.cast::<PyCapsule>()?;
        let array = pair.get_item(1)?;
        let array = array.cast::<PyCapsule>()?;
        let sp = schema.pointer_checked(Some(c"arrow_schema"))?;
        let ap = array.pointer_checked(Some(c"arrow_array"))?;
        // SAFETY: the capsules hold an `ArrowSchema` and an `ArrowArray`
        // (the PyCapsule interface's contract). The schema is only
        // borrowed (its capsule releases it); the array is moved out
        // (`from_raw` leaves a released one for the capsule's destructor).
        let data = unsafe {
            let schema = &*sp.as_ptr().cast::<FFI_ArrowSchema>();
            let array = FFI_ArrowArray::from_raw(ap.as_ptr().cast());
            from_ffi(array, schema)
        }
        .map_err(arrow_err)?;
        return Ok(Some(vec![make_array(data)]));
    }
    Ok(None)
}

/// A column of text: borrowed Python strings, or Arrow string arrays
/// (nulls read as no text).
pub enum Texts {
    /// Python `str` objects (or `None`), kept alive (and their UTF-8 read
    /// in place).
    Py(Vec<Option<PyBackedStr>>),
    /// Arrow string arrays (`string`, `large_string`, `string_view`).
    Arrow(Vec<ArrayRef>),
}

impl Texts {
    /// The column `obj` holds: a sequence of str, or an Arrow string array
    /// (pyarrow `Array` or `ChunkedArray`). `what` names it in errors.
    pub fn extract(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Texts> {
        if let Some(arrays) = arrow_arrays(obj)? {
            for a in &arrays {
                if !matches!(
                    a.data_type(),
                    DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
                ) {
                    return Err(PyTypeError::new_err(format!(
                        "{what}: an Arrow array of strings is needed, not {}",
                        a.data_type()
                    )));
                }
            }
            return Ok(Texts::Arrow(arrays));
        }
        if obj.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(format!(
                "{what}: expected a list of str, got one str (wrap it in a list, or call fingerprint())"
            )));
        }
        let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
        for (i, item) in obj.try_iter()?.enumerate() {
            let item = item?;
            if item.is_none() {
                out.push(None);
                continue;
            }
            out.push(Some(item.extract::<PyBackedStr>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{what}[{i}]: expected str, got {}",
                    item.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ))
            })?));
        }
        Ok(Texts::Py(out))
    }

    /// Each row's text (`None` for `None` or an Arrow null), in order.
    pub fn rows(&self) -> Vec<Option<&str>> {
        match self {
            Texts::Py(v) => v.iter().map(|s| s.as_deref()).collect(),
            Texts::Arrow(arrays) => {
                let mut out = Vec::new();
                for a in arrays {
                    match a.data_type() {
                        DataType::Utf8 => out.extend(a.as_string::<i32>().iter()),
                        DataType::LargeUtf8 => out.extend(a.as_string::<i64>().iter()),
                        DataType::Utf8View => out.extend(a.as_string_view().iter()),
                        _ => unreachable!("checked in extract"),
                    }
                }
                out
            }
        }
    }
}

/// What `scan` was given.
pub enum Source {
    /// Files and directories, as on the command line.
    Paths(Vec<PathBuf>),
    /// Records, as JSON Lines.
    Records(Vec<u8>),
}

fn is_path(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyString>() || obj.hasattr("__fspath__").unwrap_or(false)
}

/// Paths (a str or `os.PathLike`, or a list of them) or records (dicts or
/// Arrow), for a scan with `cfg`.
pub fn source(obj: &Bound<'_, PyAny>, cfg: &Config) -> PyResult<Source> {
    if is_path(obj) {
        return checked(vec![obj.extract()?]);
    }
    if let Some(arrays) = arrow_arrays(obj)? {
        return arrow_records(&arrays, cfg).map(Source::Records);
    }
    if let Ok(list) = obj.cast::<PyList>() {
        if !list.is_empty() && list.iter().all(|x| is_path(&x)) {
            return checked(list.extract()?);
        }
    }
    dict_records(obj).map(Source::Records)
}

/// `paths`, each of which exists. The CLI skips a path it cannot open
/// (and exits 1); a Python caller naming a file that is not there gets
/// `FileNotFoundError`, as `open` would raise (unreadable records and files
/// found inside a directory are still skipped and listed).
fn checked(paths: Vec<PathBuf>) -> PyResult<Source> {
    for p in &paths {
        if p.as_os_str() != "-" && !p.exists() {
            return Err(PyFileNotFoundError::new_err((
                2,
                format!("{}: no such file or directory", p.display()),
                p.clone(),
            )));
        }
    }
    Ok(Source::Paths(paths))
}

impl Source {
    /// The scan's inputs.
    pub fn open(self) -> Result<Inputs, wiretrace::Error> {
        match self {
            Source::Paths(p) => wiretrace::ingest::open(&p),
            Source::Records(bytes) => Ok(Inputs::from_jsonl(RECORDS, bytes)),
        }
    }
}

/// An iterable of dicts as JSON Lines, one line per record.
fn dict_records(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let iter = obj.try_iter().map_err(|_| {
        PyTypeError::new_err(
            "expected a path, a list of paths, an iterable of dicts or an Arrow table",
        )
    })?;
    let mut out = Vec::new();
    for (i, rec) in iter.enumerate() {
        let rec = rec?;
        let dict = rec.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(format!(
                "record {}: expected a dict, got {}",
                i + 1,
                rec.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        let value = json_value(dict.as_any(), i + 1, "")?;
        serde_json::to_writer(&mut out, &value)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        out.push(b'\n');
    }
    Ok(out)
}

/// A Python value as JSON: str, int, float, bool, None, dicts and lists
/// of them; dates and times as their ISO 8601 text (what the date field
/// reads).
fn json_value(v: &Bound<'_, PyAny>, rec: usize, key: &str) -> PyResult<serde_json::Value> {
    use serde_json::Value;
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if v.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(v.extract()?));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(n) = v.extract::<i64>() {
            return Ok(Value::from(n));
        }
        if let Ok(n) = v.extract::<u64>() {
            return Ok(Value::from(n));
        }
        return Ok(Value::String(v.str()?.to_str()?.to_owned()));
    }
    if v.is_instance_of::<PyFloat>() {
        let f: f64 = v.extract()?;
        return Ok(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut m = serde_json::Map::new();
        for (k, x) in d.iter() {
            let k: String = k.str()?.to_str()?.to_owned();
            let path = if key.is_empty() {
                k.clone()
            } else {
                format!("{key}.{k}")
            };
            m.insert(k, json_value(&x, rec, &path)?);
        }
        return Ok(Value::Object(m));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let items = v
            .try_iter()?
            .map(|x| json_value(&x?, rec, key))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(Value::Array(items));
    }
    if v.hasattr("isoformat")? {
        return Ok(Value::String(v.call_method0("isoformat")?.extract()?));
    }
    Err(PyTypeError::new_err(format!(
        "record {rec}: field `{key}`: cannot read a {} (give str, int, float, bool, None, a date or a dict)",
        v.get_type().name().map(|n| n.to_string()).unwrap_or_default()
    )))
}

/// Arrow record batches (struct arrays) as JSON Lines. Only the columns
/// the config's field paths start with are written (others may be of any
/// type); each is a string, integer, float, boolean, date or timestamp.
fn arrow_records(arrays: &[ArrayRef], cfg: &Config) -> PyResult<Vec<u8>> {
    let f = &cfg.fields;
    let roots: Vec<&str> = [&f.id, &f.text, &f.title, &f.source, &f.url, &f.date]
        .iter()
        .map(|p| p.split('.').next().unwrap_or(p))
        .collect();
    let mut out = Vec::new();
    for array in arrays {
        let batch: &StructArray = array.as_struct_opt().ok_or_else(|| {
            PyTypeError::new_err(format!(
                "records: an Arrow table or record batch is needed, not an array of {}",
                array.data_type()
            ))
        })?;
        let DataType::Struct(fields) = batch.data_type() else {
            unreachable!("a struct array")
        };
        let cols: Vec<(&str, &ArrayRef)> = fields
            .iter()
            .zip(batch.columns())
            .filter(|(fd, _)| roots.contains(&fd.name().as_str()))
            .map(|(fd, c)| (fd.name().as_str(), c))
            .collect();
        for (name, c) in &cols {
            if !writable(c.data_type()) {
                return Err(PyTypeError::new_err(format!(
                    "records: column `{name}` is {}; give strings, integers, dates or timestamps",
                    c.data_type()
                )));
            }
        }
        for row in 0..batch.len() {
            out.push(b'{');
            let mut first = true;
            for (name, c) in &cols {
                if c.is_null(row) {
                    continue;
                }
                if !first {
                    out.push(b',');
                }
                first = false;
                serde_json::to_writer(&mut out, name)
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                out.push(b':');
                write_cell(&mut out, c, row).map_err(|e| PyValueError::new_err(e.to_string()))?;
            }
            out.extend_from_slice(b"}\n");
        }
    }
    Ok(out)
}

fn writable(t: &DataType) -> bool {
    use DataType::*;
    matches!(
        t,
        Utf8 | LargeUtf8
            | Utf8View
            | Int8
            | Int16
            | Int32
            | Int64
            | UInt8
            | UInt16
            | UInt32
            | UInt64
            | Float32
            | Float64
            | Boolean
            | Date32
            | Timestamp(_, _)
    )
}

/// Writes cell `row` of `c` (not null, of a [`writable`] type) as JSON.
fn write_cell(w: &mut Vec<u8>, c: &ArrayRef, row: usize) -> serde_json::Result<()> {
    use DataType::*;
    match c.data_type() {
        Utf8 => serde_json::to_writer(w, c.as_string::<i32>().value(row)),
        LargeUtf8 => serde_json::to_writer(w, c.as_string::<i64>().value(row)),
        Utf8View => serde_json::to_writer(w, c.as_string_view().value(row)),
        Int8 => serde_json::to_writer(w, &c.as_primitive::<Int8Type>().value(row)),
        Int16 => serde_json::to_writer(w, &c.as_primitive::<Int16Type>().value(row)),
        Int32 => serde_json::to_writer(w, &c.as_primitive::<Int32Type>().value(row)),
        Int64 => serde_json::to_writer(w, &c.as_primitive::<Int64Type>().value(row)),
        UInt8 => serde_json::to_writer(w, &c.as_primitive::<UInt8Type>().value(row)),
        UInt16 => serde_json::to_writer(w, &c.as_primitive::<UInt16Type>().value(row)),
        UInt32 => serde_json::to_writer(w, &c.as_primitive::<UInt32Type>().value(row)),
        UInt64 => serde_json::to_writer(w, &c.as_primitive::<UInt64Type>().value(row)),
        Float32 => serde_json::to_writer(w, &c.as_primitive::<Float32Type>().value(row)),
        Float64 => serde_json::to_writer(w, &c.as_primitive::<Float64Type>().value(row)),
        Boolean => serde_json::to_writer(w, &c.as_boolean().value(row)),
        Date32 => {
            let days = c.as_primitive::<Date32Type>().value(row) as i64;
            serde_json::to_writer(w, &wiretrace::ingest::format_timestamp(days * 86_400))
        }
        Timestamp(unit, _) => {
            let v = timestamp_value(c, row);
            let secs = match unit {
                TimeUnit::Second => v,
                TimeUnit::Millisecond => v.div_euclid(1_000),
                TimeUnit::Microsecond => v.div_euclid(1_000_000),
                TimeUnit::Nanosecond => v.div_euclid(1_000_000_000),
            };
            serde_json::to_writer(w, &wiretrace::ingest::format_timestamp(secs))
        }
        _ => unreachable!("checked by writable"),
    }
}

fn timestamp_value(c: &ArrayRef, row: usize) -> i64 {
    use arrow_array::types::{
        TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType,
    };
    match c.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => {
            c.as_primitive::<TimestampSecondType>().value(row)
        }
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            c.as_primitive::<TimestampMillisecondType>().value(row)
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            c.as_primitive::<TimestampMicrosecondType>().value(row)
        }
        _ => c.as_primitive::<TimestampNanosecondType>().value(row),
    }
}
