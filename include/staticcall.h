/* placeholder: user API, issue 4 */
