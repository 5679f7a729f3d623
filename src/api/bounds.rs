//! Numeric inputs that can be neither negative nor huge. Each is a GraphQL `Int` (so a value
//! above 2³¹−1 is refused by validation, which names the argument) whose description states
//! its range, and is checked here against that range: out of it, `BAD_USER_INPUT` naming the
//! argument and the range. Page sizes (`first`) are checked by the paging module the same way.

use super::error::{ApiError, ApiResult};

/// Largest value of a GraphQL `Int` (2³¹−1).
pub const INT_MAX: i32 = i32::MAX;

/// `value`, given as argument or input field `name`, if it lies in `min..=max` (`min` ≥ 0).
pub fn within(name: &str, value: i32, min: i32, max: i32) -> ApiResult<u32> {
    match u32::try_from(value) {
        Ok(n) if (min..=max).contains(&value) => Ok(n),
        _ => Err(ApiError::BadInput(format!(
            "`{name}` must be at least {min} and at most {max}, not {value}"
        ))),
    }
}

/// [`within`] for an optional value.
pub fn within_opt(name: &str, value: Option<i32>, min: i32, max: i32) -> ApiResult<Option<u32>> {
    value.map(|v| within(name, v, min, max)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_out_of_range_are_refused_naming_the_argument() {
        assert_eq!(within("scale", 0, 0, INT_MAX).unwrap(), 0);
        assert_eq!(within("scale", INT_MAX, 0, INT_MAX).unwrap(), INT_MAX as u32);
        let negative = within("scale", -1, 0, INT_MAX).unwrap_err();
        assert_eq!(
            negative.message(),
            "`scale` must be at least 0 and at most 2147483647, not -1"
        );
        assert!(within("intervalSeconds", 299, 300, INT_MAX).is_err());
        assert_eq!(within_opt("sill", None, 1, INT_MAX).unwrap(), None);
        assert!(within_opt("sill", Some(0), 1, INT_MAX).is_err());
    }
}
